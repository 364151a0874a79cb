"""Monitoring the policy's 2035 goals: goal framework, life tables, trends and the action plan."""
