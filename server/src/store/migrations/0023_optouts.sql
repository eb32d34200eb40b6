-- The opt-out list's weekly report (issue 18, docs/opt-outs.md "Weekly report").

-- When Signalfit learned that a person opted out: set when `opted_out` turns true (an import
-- or a Salesforce sync landing HasOptedOutOfEmail), cleared when it turns false. Neither the
-- canonical CSV nor the sync carries the moment the person opted out, so this is the moment the
-- flag reached the store. People opted out before this migration keep NULL (time unknown).
ALTER TABLE contacts ADD COLUMN opted_out_at timestamptz;

CREATE FUNCTION contacts_opted_out_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT NEW.opted_out THEN
    NEW.opted_out_at := NULL;
  ELSIF TG_OP = 'INSERT' OR NOT OLD.opted_out THEN
    NEW.opted_out_at := coalesce(NEW.opted_out_at, now());
  ELSE
    NEW.opted_out_at := OLD.opted_out_at;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER contacts_opted_out_at BEFORE INSERT OR UPDATE OF opted_out ON contacts
  FOR EACH ROW EXECUTE FUNCTION contacts_opted_out_at();
CREATE INDEX contacts_opted_out_at_idx ON contacts (opted_out_at) WHERE opted_out_at IS NOT NULL;

-- One row per week whose report the daily job delivered (or is delivering) to Slack: the
-- primary key is the claim, so two instances or a rerun never send one week twice.
CREATE TABLE opt_out_reports (
  week_start date PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('sending', 'sent', 'refused', 'unknown')),
  claimed_at timestamptz NOT NULL,
  sent_at timestamptz,
  error text
);
