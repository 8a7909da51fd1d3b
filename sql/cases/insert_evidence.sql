-- one row per household × month of case_evidence_changes: this run's figures, kept in case_evidence
INSERT INTO case_evidence SELECT * FROM case_evidence_changes;
