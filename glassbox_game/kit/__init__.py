"""The drawing kit every panel and widget is built from: palette, fonts, theme, screen layout,
the Component base, math text and icons. It imports nothing from render, ui or scenes, so both
render and ui can use it without importing each other."""
