"""The 出彩 call's review process: statuses, who may do what, city quotas, experts, the audit log."""
