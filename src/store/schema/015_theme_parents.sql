-- 015 theme parents: their derived state and due day stored (R-CASE-062, src/cases/theme.c).
--
-- A theme's parent case shows the least advanced of its children that is still live, or, once
-- every child has ended, completed if any completed, else its first child's state; its due day
-- is the latest due day of a live child. Until now that was worked out only when the parent was
-- read, and the stored row kept `submitted`, so 我的办件's state filter and its asked-first order
-- (which the database answers) did not see it. Each change of a child now writes its parent too
-- (yw_case_theme_sync); this brings the parents written before that up to date, once. The state
-- order is yw_case_state's (cases.h).

UPDATE cases SET
	state = COALESCE(
		(SELECT CASE MIN(CASE k.state WHEN 'draft' THEN 0 WHEN 'submitted' THEN 1
		                              WHEN 'pre_review' THEN 2 WHEN 'supplement' THEN 3
		                              WHEN 'accepted' THEN 5 WHEN 'review' THEN 6
		                              WHEN 'suspended' THEN 7 WHEN 'decided' THEN 8
		                              WHEN 'result_made' THEN 9 WHEN 'delivered' THEN 10 END)
		        WHEN 0 THEN 'draft' WHEN 1 THEN 'submitted' WHEN 2 THEN 'pre_review'
		        WHEN 3 THEN 'supplement' WHEN 5 THEN 'accepted' WHEN 6 THEN 'review'
		        WHEN 7 THEN 'suspended' WHEN 8 THEN 'decided' WHEN 9 THEN 'result_made'
		        WHEN 10 THEN 'delivered' END
		 FROM cases k
		 WHERE k.parent_id = cases.id
		   AND k.state NOT IN ('not_accepted', 'completed', 'withdrawn', 'terminated')),
		(SELECT MIN(k.state) FROM cases k WHERE k.parent_id = cases.id AND k.state = 'completed'),
		(SELECT k.state FROM cases k WHERE k.parent_id = cases.id ORDER BY k.created_at, k.id LIMIT 1),
		state),
	due_on = (SELECT MAX(k.due_on) FROM cases k
	          WHERE k.parent_id = cases.id
	            AND k.state NOT IN ('not_accepted', 'completed', 'withdrawn', 'terminated'))
WHERE theme_id IS NOT NULL AND parent_id IS NULL;
