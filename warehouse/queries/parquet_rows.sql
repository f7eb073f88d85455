-- one row: how many rows the bound list of Parquet files holds (read from their metadata)
select count(*) from read_parquet(?::varchar[])
