import type { OptimizeReport } from '../../contract';
import { renderSizeHtml } from '../compress/size/size-html';
import { chartJsSource, escapeHtml, scriptJson, versionsLine } from './html-escape';

/** The headline of the results card for each verification status. */
const RESULT_WORD: Record<OptimizeReport['verification']['status'], string> = {
  passed: 'Within tolerance',
  failed: 'Changed',
  unavailable: 'Not compared',
};

/** One summary card: a label, the figure in bold and a line of explanation (all already HTML). */
function card(kind: string, label: string, figure: string, note: string): string {
  return `<div class="card${kind ? ` ${kind}` : ''}"><span class="muted">${label}</span><b>${figure}</b><span class="muted">${note}</span></div>`;
}

/** A self-contained HTML page for a run's report: summary, verification, steps and charts. */
export function renderReportHtml(report: OptimizeReport): string {
  const size = (bytes: number): string => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(1)} KB`);
  const ratio = report.output.sizeBytes / report.input.sizeBytes;
  const v = report.verification;
  const on = `${v.samples} ${v.inputs === 'data' ? 'samples of the data' : `generated input${v.samples === 1 ? '' : 's'}`}`;
  const verdict =
    v.status === 'unavailable'
      ? `Not compared: ${escapeHtml(v.reason ?? '')}`
      : `${escapeHtml(v.words ?? v.status)}, on ${on}.${v.status === 'failed' ? ` ${escapeHtml(v.reason ?? '')}` : ''}`;
  const outputs = (v.outputs ?? [])
    .map(
      (o) =>
        `<tr><td>${escapeHtml(o.name)}</td><td>${escapeHtml(o.kind ?? '')}<div class="muted">${escapeHtml(o.kindReason ?? '')}</div></td><td>${escapeHtml(o.words ?? '')}</td></tr>`,
    )
    .join('\n');
  const rows = report.steps
    .map(
      (step, index) => `<tr><td>${index + 1}</td><td>${escapeHtml(step.title)}<div class="muted">${escapeHtml(step.pass)}</div></td>
<td>${stepOutcome(step)}</td><td>${step.nodesBefore} → ${step.nodesAfter}</td>
<td>${escapeHtml(
        Object.entries(step.stats)
          .map(([k, n]) => `${k}: ${n}`)
          .join(', '),
      )}${step.notes.map((note) => `<div class="muted">${escapeHtml(note)}</div>`).join('')}${skippedList(step.skipped)}</td>
<td>${step.relativeError === undefined ? '—' : fmt(step.relativeError)}</td><td>${step.durationMs.toFixed(0)} ms</td></tr>`,
    )
    .join('\n');
  const ops = [...new Set([...Object.keys(report.input.opCounts), ...Object.keys(report.output.opCounts)])].sort(
    (a, b) => (report.input.opCounts[b] ?? 0) - (report.input.opCounts[a] ?? 0),
  );
  const chartData = {
    steps: ['original', ...report.steps.map((step) => step.title)],
    nodes: [report.input.nodeCount, ...report.steps.map((step) => step.nodesAfter)],
    ops,
    opsBefore: ops.map((op) => report.input.opCounts[op] ?? 0),
    opsAfter: ops.map((op) => report.output.opCounts[op] ?? 0),
  };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lithe report — ${escapeHtml(report.input.path.split(/[/\\]/).pop() ?? '')}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1c2330}
main{max-width:1040px;margin:0 auto;padding:32px 24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:17px;margin:32px 0 8px}
.muted{color:#5b6575;font-size:13px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;margin-top:16px}
.card{background:#fff;border:1px solid #e1e5eb;border-radius:10px;padding:14px 16px}
.card b{display:block;font-size:22px}
.ok{border-left:4px solid #16a34a}.bad{border-left:4px solid #dc2626}.na{border-left:4px solid #d97706}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #e1e5eb;border-radius:10px;font-size:14px}
td,th{padding:8px 10px;border-bottom:1px solid #eef0f3;text-align:left;vertical-align:top}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:12px}.charts>div{background:#fff;border:1px solid #e1e5eb;border-radius:10px;padding:12px}
code{font-size:13px}
@media (prefers-color-scheme:dark){body{background:#12161d;color:#e6e9ef}.card,table,.charts>div{background:#1a2029;border-color:#2a3140}td,th{border-color:#232a36}.muted{color:#9aa4b5}}
</style></head><body><main>
<h1>Optimization report</h1>
<p><b>${escapeHtml(report.headline)}</b></p>
<div class="muted">${escapeHtml(report.input.path)} · recipe <b>${escapeHtml(report.recipe.name)}</b> · ${escapeHtml(report.createdAt)}</div>
<div class="cards">
${card('', 'Size', `${size(report.input.sizeBytes)} → ${size(report.output.sizeBytes)}`, `${(ratio * 100).toFixed(1)} % of the original`)}
${card('', 'Operations', `${report.input.nodeCount} → ${report.output.nodeCount}`, 'nodes in the main graph')}
${card(v.status === 'passed' ? 'ok' : v.status === 'failed' ? 'bad' : 'na', 'Results', escapeHtml(VERDICT_TITLES[v.verdict ?? ''] ?? RESULT_WORD[v.status]), verdict)}
${accuracyCard(report)}
</div>
${report.warnings.length ? `<h2>Please note</h2><ul>${report.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>` : ''}
${outputs ? `<h2>Outputs compared</h2><table><thead><tr><th>Output</th><th>Compared as</th><th>Verdict</th></tr></thead><tbody>${outputs}</tbody></table>` : ''}
${report.size ? renderSizeHtml(report.size) : ''}
<h2>What the recipe did</h2>
<p class="muted">${escapeHtml(report.recipe.description ?? '')}</p>
<table><thead><tr><th>#</th><th>Step</th><th>Outcome</th><th>Nodes</th><th>Details</th><th>Rel. error</th><th>Time</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Charts</h2>
<div class="charts"><div><canvas id="nodes" height="220"></canvas></div><div><canvas id="ops" height="220"></canvas></div></div>
<h2>Files</h2>
<table><tbody>
<tr><td>Original</td><td><code>${escapeHtml(report.input.path)}</code><div class="muted">sha256 ${report.input.sha256}</div></td></tr>
<tr><td>Optimized</td><td><code>${escapeHtml(report.output.path)}</code><div class="muted">sha256 ${report.output.sha256}</div></td></tr>
<tr><td>Versions</td><td>${versionsLine(report.versions)}</td></tr>
</tbody></table>
</main>
<script>${chartJsSource()}</script>
<script type="application/json" id="data">${scriptJson(chartData)}</script>
<script>
const d = JSON.parse(document.getElementById('data').textContent);
new Chart(document.getElementById('nodes'), {
  type: 'line',
  data: { labels: d.steps, datasets: [{ label: 'Nodes after each step', data: d.nodes, borderColor: '#0d9488', tension: 0.2 }] },
  options: { animation: false, scales: { y: { beginAtZero: true } } },
});
new Chart(document.getElementById('ops'), {
  type: 'bar',
  data: {
    labels: d.ops,
    datasets: [
      { label: 'Original', data: d.opsBefore, backgroundColor: '#94a3b8' },
      { label: 'Optimized', data: d.opsAfter, backgroundColor: '#4f46e5' },
    ],
  },
  options: { animation: false, indexAxis: 'y' },
});
</script>
</body></html>
`;
}

const VERDICT_TITLES: Record<string, string> = {
  identical: 'Identical',
  'within-float-rounding': 'Within float rounding',
  close: 'Close',
  changed: 'Changed',
};

// The accuracy measured on the user's data with right answers, before and after: the figure people ship on.
function accuracyCard(report: OptimizeReport): string {
  const before = report.evaluation?.accuracyBefore;
  const after = report.evaluation?.accuracyAfter;
  if (!before || !after) return '';
  const pct = (top1: number): string => `${(top1 * 100).toFixed(2)} %`;
  const data = report.evaluation?.data.description;
  return card(
    '',
    'Accuracy',
    `${pct(before.top1)} → ${pct(after.top1)}`,
    `top-1, ${after.correct} of ${after.total} right${data ? ` on ${escapeHtml(data)}` : ''}`,
  );
}

function fmt(value: number | undefined): string {
  if (value === undefined) return '—';
  if (value === 0) return '0';
  return value < 1e-3 ? value.toExponential(2) : value.toFixed(4);
}

// The candidates a step declined, folded away under a count so long lists stay out of the way.
function skippedList(skipped: readonly { node: string; reason: string }[]): string {
  if (skipped.length === 0) return '';
  const items = skipped.map((s) => `<li><code>${escapeHtml(s.node)}</code>: ${escapeHtml(s.reason)}</li>`).join('');
  return `<details class="muted"><summary>${skipped.length} left as ${skipped.length === 1 ? 'it was' : 'they were'}, and why</summary><ul>${items}</ul></details>`;
}

/** What a step came to, for the steps table (escaped). */
function stepOutcome(step: OptimizeReport['steps'][number]): string {
  if (step.undone) return `undone: ${escapeHtml(step.undone.reason)}`;
  if (step.beyondTolerance) return `kept beyond tolerance: ${escapeHtml(step.beyondTolerance.reason)}`;
  return step.changed ? escapeHtml(step.words ?? 'changed') : 'nothing to do';
}
