"""Assessment of property companies (物业考核)."""
