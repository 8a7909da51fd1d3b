"""The household flag codes of policy.md (Household flags), which settings name as well as the flagging does."""
from __future__ import annotations

HOUSEHOLD_FLAGS = ("BELOW_LINE", "NEAR_LINE", "SUDDEN_DROP", "UNSTABLE_LIFTED", "GUARANTEE_GAP")
