-- one row per outlet the warehouse has articles of (as identified)
select outlet from outlets order by outlet
