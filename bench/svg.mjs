// A grouped horizontal bar chart as SVG text: one group per case, one bar per system,
// bar length = relative speed (fastest system in the case = 1).

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const COLORS = ['#1f6feb', '#d97706', '#059669', '#9333ea', '#64748b'];

/**
 * rows: [{ label, bars: [{ system, value (time, lower is better) | null, text }] }];
 * systems: names in legend order.
 */
export function barChart(rows, systems, title) {
  const barH = 14, gap = 4, groupGap = 18, left = 250, width = 460, right = 150, top = 56;
  const groupH = systems.length * (barH + gap) + groupGap;
  const height = top + rows.length * groupH + 30;
  const total = left + width + right;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="${height}" viewBox="0 0 ${total} ${height}" font-family="system-ui, sans-serif" font-size="12">`);
  out.push(`<rect width="100%" height="100%" fill="#fff"/>`);
  out.push(`<text x="10" y="20" font-size="15" font-weight="bold">${esc(title)}</text>`);
  systems.forEach((s, k) => {
    const x = 10 + k * 150;
    out.push(`<rect x="${x}" y="32" width="12" height="12" fill="${COLORS[k % COLORS.length]}"/>`);
    out.push(`<text x="${x + 16}" y="42">${esc(s)}</text>`);
  });
  rows.forEach((row, r) => {
    const y0 = top + r * groupH;
    const times = row.bars.map((b) => b.value).filter((v) => v != null && v > 0);
    const best = times.length ? Math.min(...times) : 1;
    out.push(`<text x="${left - 10}" y="${y0 + (systems.length * (barH + gap)) / 2 + 4}" text-anchor="end">${esc(row.label)}</text>`);
    row.bars.forEach((b, k) => {
      const y = y0 + k * (barH + gap);
      const color = COLORS[systems.indexOf(b.system) % COLORS.length];
      if (b.value == null || !(b.value > 0)) {
        out.push(`<text x="${left + 4}" y="${y + barH - 3}" fill="#888">${esc(b.text)}</text>`);
        return;
      }
      const w = Math.max(1, (best / b.value) * width);
      out.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${color}"/>`);
      out.push(`<text x="${(left + w + 4).toFixed(1)}" y="${y + barH - 3}">${esc(b.text)}</text>`);
    });
  });
  out.push(`<line x1="${left}" y1="${top - 6}" x2="${left}" y2="${height - 24}" stroke="#333"/>`);
  out.push(`<text x="${left}" y="${height - 8}" fill="#555">bar length: speed relative to the fastest system in each row (longer is faster)</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
