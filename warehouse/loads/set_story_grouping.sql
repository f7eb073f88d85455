-- one row per story: how it was formed (given by the user, or grouped by a model and threshold), its size,
-- and whether one outlet alone covers it (the comparison views skip such a story)
update stories
set size = $size, formed_by = $formed_by, grouping_model_id = $grouping_model_id,
    grouping_threshold = $grouping_threshold, single_outlet = $single_outlet
where story_id = $story_id
