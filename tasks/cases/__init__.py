"""The case ledger (问题台账, cases.md): cases opened and closed by runs, decided by townships' workbooks."""
