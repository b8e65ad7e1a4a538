// A hostile reader of published dashboard tables, written apart from the
// server's own audit (src/core/disclosure.c): from the figures shown and the
// arithmetic the tables obey, it works out what it can about the cells
// shown as "c", the way a person with a spreadsheet would.
//
//   - each count row's phases add up to its Total (a column not shown is 0);
//   - the rows of a partition ("part_of" in the JSON) add up, column by
//     column, to the row they are part of;
//   - an identity with one hidden cell left gives it by subtraction;
//   - an identity whose hidden cells must add up to 0 gives each as 0;
//   - with `atLeastOne`, the reader also assumes "c" never hides a zero,
//     so hidden cells adding up to their number are each 1.
// Repeated until nothing more comes out.  Returns the cells worked out as
// [{table, group, row, column, value}].

function identities(dash) {
  const ids = [];
  const cellOf = new Map(); // "table|group|label|column" -> cell key
  const key = (t, r, col) => `${t.key}|${r.group}|${r.label}|${col}`;
  for (const t of dash.tables) {
    for (const r of t.rows) {
      if (r.kind !== 'count') continue;
      for (const c of r.cells) cellOf.set(key(t, r, c.column), c);
      const terms = r.cells.map((c) => [key(t, r, c.column), c.column === 'Total' ? -1 : 1]);
      ids.push(terms);
    }
  }
  for (const t of dash.tables) {
    const parts = new Map();
    for (const r of t.rows) {
      if (r.kind !== 'count' || !r.part_of) continue;
      const k = `${r.part_of.partition}|${r.part_of.table}|${r.part_of.group ?? ''}|${r.part_of.row}`;
      if (!parts.has(k)) parts.set(k, { of: r.part_of, rows: [] });
      parts.get(k).rows.push(r);
    }
    for (const { of, rows } of parts.values()) {
      const bt = dash.tables.find((x) => x.key === of.table);
      const br = bt && bt.rows.find((x) => x.label === of.row && (of.group === undefined || x.group === of.group));
      if (!br) throw new Error(`part_of names a row that is not there: ${JSON.stringify(of)}`);
      for (const c of t.columns) {
        if (!br.cells.some((x) => x.column === c)) continue;
        ids.push([...rows.map((r) => [key(t, r, c), 1]), [key(bt, br, c), -1]]);
      }
    }
  }
  return { ids, cellOf };
}

export function attack(dash, { atLeastOne = false } = {}) {
  const { ids, cellOf } = identities(dash);
  const known = new Map();
  for (const [k, c] of cellOf) if (!c.suppressed) known.set(k, c.value);
  const found = [];
  for (let progress = true; progress;) {
    progress = false;
    for (const terms of ids) {
      const open = terms.filter(([k]) => !known.has(k));
      if (open.length === 0) continue;
      const rest = -terms.filter(([k]) => known.has(k)).reduce((s, [k, a]) => s + a * known.get(k), 0);
      let values = null;
      if (open.length === 1) values = [rest * open[0][1]];
      else if (open.every(([, a]) => a === open[0][1])) {
        const sum = rest * open[0][1];
        if (sum === 0) values = open.map(() => 0);
        else if (atLeastOne && sum === open.length) values = open.map(() => 1);
      }
      if (!values) continue;
      open.forEach(([k], i) => {
        known.set(k, values[i]);
        const [table, group, row, column] = k.split('|');
        found.push({ table, group, row, column, value: values[i] });
      });
      progress = true;
    }
  }
  return found;
}

/** Cells shown as "c" in a published dashboard, as keys. */
export function hiddenCells(dash) {
  const out = [];
  for (const t of dash.tables) for (const r of t.rows) for (const c of r.cells) {
    if (c.suppressed) out.push(`${t.key}|${r.group}|${r.label}|${c.column}`);
  }
  return out;
}
