"""The dialogs defined in `dialogs/*.yaml`: the data model (`spec`), its loader (`load`) and the
safety proofs run at load (`safety`), the red-flag ledger (`ledger`), how a flag is asked
(`questions`), and the engine that runs a dialog with a person (`engine`)."""
