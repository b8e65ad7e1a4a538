// The evaluator's extract as an outsider would group it: rows that agree
// on every column someone could know about a child (month of birth,
// gender, ethnicity, year group, SEN provision, school, the case's dates).

/** The group sizes (a Map from the columns' values to a count). */
export function classSizes(rows) {
  const sizes = new Map();
  for (const r of rows) {
    const key = JSON.stringify([r.birth_year_month, r.gender, r.ethnicity, r.nc_year, r.sen_provision, r.school.urn,
      r.school.phase, r.school.la_code, r.case.opened_on, r.case.closed_on]);
    sizes.set(key, (sizes.get(key) || 0) + 1);
  }
  return sizes;
}
