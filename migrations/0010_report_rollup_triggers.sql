-- Marks the (Shanghai) creation day of every inserted, changed or deleted lead for the report rollup,
-- in the same transaction as the change: one row per day per statement (statement-level triggers with
-- transition tables, so a bulk insert costs one small insert). Rows are never upserted, so a mark made by a
-- transaction that commits while the job is consuming older marks is never lost.
CREATE FUNCTION report_mark_new_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_dirty_days (day) SELECT DISTINCT (created_at AT TIME ZONE 'Asia/Shanghai')::date FROM changed_leads;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER leads_report_insert AFTER INSERT ON leads REFERENCING NEW TABLE AS changed_leads
  FOR EACH STATEMENT EXECUTE FUNCTION report_mark_new_days();
--> statement-breakpoint
CREATE TRIGGER leads_report_update AFTER UPDATE ON leads REFERENCING NEW TABLE AS changed_leads
  FOR EACH STATEMENT EXECUTE FUNCTION report_mark_new_days();
--> statement-breakpoint
CREATE TRIGGER leads_report_delete AFTER DELETE ON leads REFERENCING OLD TABLE AS changed_leads
  FOR EACH STATEMENT EXECUTE FUNCTION report_mark_new_days();
--> statement-breakpoint
-- Leads that exist already: every day of them is due for its first rollup.
INSERT INTO report_dirty_days (day) SELECT DISTINCT (created_at AT TIME ZONE 'Asia/Shanghai')::date FROM leads;
