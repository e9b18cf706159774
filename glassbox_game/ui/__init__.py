"""Theme, fonts, layout and the pygame_gui widgets (pygame is allowed from here up)."""
