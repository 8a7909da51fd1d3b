-- records the settings the history checks were made with ($settings_key), replacing those recorded
INSERT OR REPLACE INTO history_settings VALUES (1, $settings_key);
