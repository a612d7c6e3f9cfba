// The desk's charts: ECharts bundled into the page (no CDN), SVG renderer so they print and scale crisply.
import { BarChart, FunnelChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { BarSeriesOption, FunnelSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';

use([BarChart, FunnelChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

type Option = ComposeOption<BarSeriesOption | FunnelSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

const charts = new Map<HTMLElement, ECharts>();
const palette = ['#0b5cad', '#2e8540', '#d97706', '#b42318', '#6941c6', '#0e7490'];

/** Draws (or redraws) a chart into a container; one ECharts instance per container. */
export function draw(el: HTMLElement, option: Option): void {
  let chart = charts.get(el);
  if (!chart) {
    chart = init(el, undefined, { renderer: 'svg' });
    charts.set(el, chart);
  }
  chart.setOption({ color: palette, animation: false, ...option }, { notMerge: true });
}

let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => charts.forEach((c) => c.resize()), 150);
});

const grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };

export function trendChart(el: HTMLElement, weeks: string[], series: { name: string; values: number[]; kind: 'bar' | 'line' }[]): void {
  draw(el, {
    grid, tooltip: { trigger: 'axis' }, legend: { top: 0 },
    xAxis: { type: 'category', data: weeks.map((w) => w.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: series.map((s) => (s.kind === 'bar' ? { type: 'bar', name: s.name, data: s.values } : { type: 'line', name: s.name, data: s.values, smooth: true, symbol: 'none' })),
  });
}

export function funnelChart(el: HTMLElement, steps: { name: string; value: number }[]): void {
  draw(el, {
    tooltip: { trigger: 'item' },
    series: [{ type: 'funnel', left: '10%', width: '80%', top: 8, bottom: 8, sort: 'none', minSize: '8%', label: { position: 'inside', formatter: '{b}  {c}' }, data: steps }],
  });
}

/** Horizontal bars, longest first, e.g. declines by reason or SLA compliance by bank. */
export function barChart(el: HTMLElement, items: { name: string; value: number }[], o: { unit?: string; max?: number } = {}): void {
  const sorted = [...items].reverse();
  draw(el, {
    grid: { ...grid, top: 8 }, tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', max: o.max, axisLabel: { formatter: `{value}${o.unit ?? ''}` } },
    yAxis: { type: 'category', data: sorted.map((i) => i.name) },
    series: [{ type: 'bar', data: sorted.map((i) => i.value), label: { show: true, position: 'right', formatter: `{c}${o.unit ?? ''}` } }],
  });
}
