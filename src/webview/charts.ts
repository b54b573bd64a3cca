// chart.js set-up shared by every chart on the page: only the pieces used are registered (keeps
// the bundle small), and the theme-dependent defaults live in one place.

import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type TooltipOptions,
} from 'chart.js';
import type { Theme } from './theme';

let registered = false;

export function setUpCharts(theme: Theme): void {
  if (!registered) {
    Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, LogarithmicScale, Tooltip, Legend);
    registered = true;
  }
  Chart.defaults.color = theme.foreground;
  Chart.defaults.borderColor = theme.grid;
  Chart.defaults.font.family = theme.fontFamily;
  Chart.defaults.font.size = Math.max(10, theme.fontSize - 1);
  // Progress arrives many times a second; animating each update would only blur the picture.
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
}

/** Tooltips styled like VS Code's hover widget. */
export function tooltipStyle(theme: Theme): Partial<TooltipOptions> {
  return {
    backgroundColor: theme.tooltip.background,
    titleColor: theme.tooltip.foreground,
    bodyColor: theme.tooltip.foreground,
    footerColor: theme.muted,
    borderColor: theme.tooltip.border,
    borderWidth: 1,
    cornerRadius: 3,
    padding: 8,
    displayColors: false,
    titleFont: { weight: 'bold' },
    footerFont: { weight: 'normal', style: 'italic' },
  };
}

export { Chart };
