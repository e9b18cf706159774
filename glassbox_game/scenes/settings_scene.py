"""Settings: theme, lecture theme, text size, colour-blind palette, reduced motion."""

from __future__ import annotations

from glassbox_game.scenes.overlays import _MenuOverlay
from glassbox_game.settings import THEMES
from glassbox_game.ui.menu import MenuItem

TEXT_SCALES = (0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0)


class SettingsScene(_MenuOverlay):
    name = "settings"
    title = "Settings"
    subtitle = "← → change a value · Esc to go back · saved at once"

    def items(self) -> list[MenuItem]:
        app = self.app

        def cycle(field: str, options: tuple) -> callable:  # type: ignore[valid-type]
            def change(step: int) -> None:
                cur = getattr(app.settings, field)
                k = options.index(cur) if cur in options else 0
                app.update_settings(**{field: options[(k + step) % len(options)]})
            return change

        def onoff(field: str) -> callable:  # type: ignore[valid-type]
            return lambda step: app.update_settings(**{field: not getattr(app.settings, field)})

        return [
            MenuItem("Theme", value=lambda: app.settings.theme, change=cycle("theme", THEMES), key="theme"),
            MenuItem("Lecture theme", value=lambda: app.settings.lecture_theme,
                     change=cycle("lecture_theme", ("lecture-light", "lecture-dark", "high-contrast")),
                     key="lecture-theme"),
            MenuItem("Text size", value=lambda: f"{round(app.settings.text_scale * 100)} %",
                     change=cycle("text_scale", TEXT_SCALES), key="text-size"),
            MenuItem("Colour-blind palette", value=lambda: "on" if app.settings.colour_blind else "off",
                     change=onoff("colour_blind"), key="colour-blind"),
            MenuItem("Reduced motion", value=lambda: "on" if app.settings.reduced_motion else "off",
                     change=onoff("reduced_motion"), key="reduced-motion"),
            MenuItem("Back", app.pop, key="back"),
        ]
