import type { TrainReport } from '../../contract/train';
import { chartJsSource, escapeHtml, scriptJson, versionsLine } from '../optimize/html-escape';

const pct = (x: number | undefined): string => (x === undefined ? '—' : `${(x * 100).toFixed(2)} %`);

/** A self-contained HTML page for a training run: summary, per-epoch curves and the epoch table. */
export function renderTrainReportHtml(report: TrainReport): string {
  const last = report.history[report.history.length - 1];
  const kept = report.history.find((e) => e.epoch === report.keptEpoch) ?? last;
  const v = report.verification;
  const rows = report.history
    .map(
      (e) =>
        `<tr${e.epoch === report.keptEpoch ? ' class="kept"' : ''}><td>${e.epoch}</td><td>${e.trainLoss.toFixed(4)}</td><td>${pct(e.trainAccuracy)}</td>` +
        `<td>${e.valLoss === undefined ? '—' : e.valLoss.toFixed(4)}</td><td>${pct(e.valAccuracy)}</td><td>${pct(e.valAgreement)}</td>` +
        `<td>${e.lr.toExponential(2)}</td><td>${e.seconds.toFixed(1)} s</td><td>${e.samplesPerSecond.toFixed(0)}</td></tr>`,
    )
    .join('\n');
  const chart = {
    epochs: report.history.map((e) => e.epoch),
    trainLoss: report.history.map((e) => e.trainLoss),
    valLoss: report.history.map((e) => e.valLoss ?? null),
    trainAccuracy: report.history.map((e) => (e.trainAccuracy === undefined ? null : e.trainAccuracy * 100)),
    valAccuracy: report.history.map((e) => (e.valAccuracy === undefined ? null : e.valAccuracy * 100)),
    valAgreement: report.history.map((e) => (e.valAgreement === undefined ? null : e.valAgreement * 100)),
  };
  const title = report.kind === 'distill' ? 'Distillation report' : 'Training report';
  const epochsNote = `${report.stoppedEarly ? 'stopped early; ' : ''}kept epoch ${report.keptEpoch}${report.resumedFrom ? `, resumed after epoch ${report.resumedFrom}` : ''}`;
  const keptValue = kept?.valAccuracy ?? kept?.valAgreement;
  const trainedCount = `${report.parameters.trained.toLocaleString('en')}</b><span class="muted">of ${report.parameters.total.toLocaleString('en')}`;
  const threadsText = `${report.resources.threads} onnxruntime thread${report.resources.threads === 1 ? '' : 's'}`;
  const measured =
    v.accuracy !== undefined
      ? `top-1 ${pct(v.accuracy)}`
      : v.agreement !== undefined
        ? `agrees with the teacher on ${pct(v.agreement)}`
        : 'runs';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lithe ${title.toLowerCase()} — ${escapeHtml(report.input.path.split(/[/\\]/).pop() ?? '')}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1c2330}
main{max-width:1040px;margin:0 auto;padding:32px 24px}h1{font-size:24px;margin:0 0 4px}h2{font-size:17px;margin:32px 0 8px}
.muted{color:#5b6575;font-size:13px}.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;margin-top:16px}
.card{background:#fff;border:1px solid #e1e5eb;border-radius:10px;padding:14px 16px}.card b{display:block;font-size:22px}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #e1e5eb;border-radius:10px;font-size:14px}
td,th{padding:8px 10px;border-bottom:1px solid #eef0f3;text-align:left}tr.kept td{font-weight:600}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:12px}.charts>div{background:#fff;border:1px solid #e1e5eb;border-radius:10px;padding:12px}
@media (prefers-color-scheme:dark){body{background:#12161d;color:#e6e9ef}.card,table,.charts>div{background:#1a2029;border-color:#2a3140}td,th{border-color:#232a36}.muted{color:#9aa4b5}}
</style></head><body><main>
<h1>${title}</h1>
<div class="muted">${escapeHtml(report.input.path)} · ${escapeHtml(report.createdAt)}</div>
<div class="cards">
<div class="card"><span class="muted">Epochs</span><b>${report.history.length}</b><span class="muted">${epochsNote}</span></div>
<div class="card"><span class="muted">Validation</span><b>${pct(keptValue)}</b><span class="muted">${escapeHtml(report.validation?.description ?? 'no validation data')}</span></div>
<div class="card"><span class="muted">Written model</span><b>${measured}</b><span class="muted">loaded again in ${escapeHtml(v.runtime)} on ${v.samples} samples</span></div>
<div class="card"><span class="muted">Parameters trained</span><b>${trainedCount}</span></div>
</div>
${report.warnings.length ? `<h2>Please note</h2><ul>${report.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>` : ''}
<h2>Curves</h2>
<div class="charts"><div><canvas id="loss" height="220"></canvas></div><div><canvas id="accuracy" height="220"></canvas></div></div>
<h2>Epochs</h2>
<table><thead><tr><th>Epoch</th><th>Train loss</th><th>Train top-1</th><th>Val loss</th><th>Val top-1</th><th>Agreement</th><th>LR</th><th>Time</th><th>Samples/s</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Settings</h2>
<table><tbody>
<tr><td>Data</td><td>${escapeHtml(report.data.description)} (${report.data.samples} samples${report.data.labelled ? ', labelled' : ''})</td></tr>
<tr><td>Loss</td><td>${escapeHtml(report.loss.map((t) => `${t.weight ?? 1} × ${t.kind}${t.temperature ? ` (T = ${t.temperature})` : ''}`).join(' + '))}</td></tr>
<tr><td>Resources</td><td>peak memory ${(report.resources.peakRssBytes / 1024 ** 2).toFixed(0)} MB · ${threadsText}</td></tr>
<tr><td>Settings</td><td><code>${escapeHtml(JSON.stringify(report.settings))}</code></td></tr>
<tr><td>Original</td><td><code>${escapeHtml(report.input.path)}</code><div class="muted">sha256 ${report.input.sha256}</div></td></tr>
<tr><td>Trained</td><td><code>${escapeHtml(report.output.path)}</code><div class="muted">sha256 ${report.output.sha256}</div></td></tr>
${report.teacher ? `<tr><td>Teacher</td><td><code>${escapeHtml(report.teacher.path)}</code></td></tr>` : ''}
<tr><td>Versions</td><td>${versionsLine(report.versions)}</td></tr>
</tbody></table>
</main>
<script>${chartJsSource()}</script>
<script type="application/json" id="data">${scriptJson(chart)}</script>
<script>
const d = JSON.parse(document.getElementById('data').textContent);
const opts = { animation: false, spanGaps: true };
new Chart(document.getElementById('loss'), { type: 'line', data: { labels: d.epochs, datasets: [
  { label: 'Training loss', data: d.trainLoss, borderColor: '#4f46e5' }, { label: 'Validation loss', data: d.valLoss, borderColor: '#0d9488' }] }, options: opts });
new Chart(document.getElementById('accuracy'), { type: 'line', data: { labels: d.epochs, datasets: [
  { label: 'Training top-1 %', data: d.trainAccuracy, borderColor: '#4f46e5' }, { label: 'Validation top-1 %', data: d.valAccuracy, borderColor: '#0d9488' },
  { label: 'Agreement with teacher %', data: d.valAgreement, borderColor: '#d97706' }] }, options: opts });
</script>
</body></html>
`;
}
