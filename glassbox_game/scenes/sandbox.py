"""The sandbox: every control unlocked, every panel shown."""

from __future__ import annotations

import pygame

from glassbox_game.engine.setup import Setup
from glassbox_game.render.base import Component
from glassbox_game.render.chain_rule_panel import ChainRulePanel
from glassbox_game.render.insight_panel import InsightPanel
from glassbox_game.render.loss_chart import LossChartPanel
from glassbox_game.render.network_view import NetworkView
from glassbox_game.render.tables_panel import TablesPanel
from glassbox_game.scenes.sim_scene import SimScene
from glassbox_game.ui.layout import sandbox_layout
from glassbox_game.ui.params_panel import ParamsPanel
from glassbox_game.ui.theme import Theme
from glassbox_game.ui.topbar import TopBar


class SandboxScene(SimScene):
    name = "sandbox"
    mode_label = "Sandbox"

    def __init__(self, app, setup: Setup | None = None) -> None:
        super().__init__(app, setup or Setup())

    def build_components(self) -> dict[str, Component]:
        return {
            "network": NetworkView(),
            "chain": ChainRulePanel(),
            "tables": TablesPanel(),
            "chart": LossChartPanel(),
            "insight": InsightPanel(),
            "params": ParamsPanel(),
            "topbar": TopBar(self.mode_label),
        }

    def rects(self, size: tuple[int, int], theme: Theme) -> dict[str, pygame.Rect]:
        return sandbox_layout(size, theme)

    def handle_key(self, event: pygame.event.Event) -> bool:
        if event.key == pygame.K_l:
            from glassbox_game.scenes.factory import lecture_scene

            self.app.push(lecture_scene(self.app, None, setup=self.sim.setup))
            return True
        return super().handle_key(event)
