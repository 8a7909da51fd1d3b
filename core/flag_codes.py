"""The household flag codes of policy.md (Household flags) and the household types of village-return.md (户类型), which
settings name as well as the flagging and the row checks do."""
from __future__ import annotations

HOUSEHOLD_FLAGS = ("BELOW_LINE", "NEAR_LINE", "SUDDEN_DROP", "UNSTABLE_LIFTED", "GUARANTEE_GAP")
HOUSEHOLD_TYPES = ("脱贫户", "未脱贫户", "监测户", "低保户", "特困供养户", "重残户", "重病户", "边缘户")
