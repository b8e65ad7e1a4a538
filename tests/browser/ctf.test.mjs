// The Common Transfer File import page in a browser: reached from the
// pupils list, a file chosen and checked with a refused pupil (by place and
// line), then a clean check, the same file chosen again and imported;
// axe-core on every state of the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, checkA11y, startServer, signInPage, dbSql } from './harness.mjs';
import { TODAY, academicYearOf, upnFor } from '../http/harness.mjs';

let srv, browser;
before(async () => {
  srv = await startServer({ seed: 17 });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

function sql(q) {
  return dbSql(srv.db, q);
}

async function clean(page, what) {
  const v = await checkA11y(page);
  assert.deepEqual(v, [], `accessibility problems on ${what} (${page.url()}):\n${v.join('\n')}`);
}

const go = (page, action) => Promise.all([page.waitForLoadState('load'), action]);

// With lunch, each pupil has a lunchtime exclusion (kept as its own kind of outcome record).
function ctf(urn, lea, upns, { lunch = false } = {}) {
  const y = academicYearOf(TODAY);
  const exc = lunch ? `<Exclusions><Exclusion><StartDate>${y}-10-05</StartDate><Category>LNCH</Category><Reason>DB</Reason></Exclusion></Exclusions>` : '';
  const pupils = upns.map((upn, i) => `
    <Pupil>
      <UPN>${upn}</UPN><Surname>Ó'Brien</Surname><Forename>Zoë${i}</Forename><DOB>${y - 8}-03-04</DOB><Sex>F</Sex>
      <BasicDetails><NCyearActual>4</NCyearActual><Ethnicity>WBRI</Ethnicity></BasicDetails>
      <Attendance><YearData><Year>${y - 1}</Year><SessionsPossible>380</SessionsPossible>
        <SessionsAuthorised>8</SessionsAuthorised><SessionsUnauthorised>2</SessionsUnauthorised></YearData></Attendance>${exc}
    </Pupil>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<CTfile><Header><CTFversion>25.0</CTFversion>
<SourceSchool><LEA>${lea}</LEA><Estab>2001</Estab><URN>${urn}</URN></SourceSchool></Header>
<CTFpupilData>${pupils}
</CTFpupilData></CTfile>`;
}

test('check a Common Transfer File, see a refused pupil by place, then import', async () => {
  const [urn, lea] = sql('SELECT s.urn, a.la_code FROM schools s JOIN authorities a ON a.id = s.authority_id WHERE s.id = 1').split('|');
  const good = upnFor(180001);
  const bad = `${good[0] === 'A' ? 'B' : 'A'}${good.slice(1)}`;
  const page = await (await browser.newContext()).newPage();
  await signInPage(page, srv.base, 'head');
  await page.goto(`${srv.base}/pupils`);
  await go(page, page.getByRole('link', { name: 'Import pupils from a Common Transfer File' }).click());
  await clean(page, 'CTF import page');

  const file = (xml) => ({ name: 'ctf.xml', mimeType: 'text/xml', buffer: Buffer.from(xml) });
  await page.getByLabel('The Common Transfer File').setInputFiles(file(ctf(urn, lea, [good, bad])));
  await go(page, page.getByRole('button', { name: 'Check the file' }).click());
  assert.match(await page.locator('#verdict').textContent(), /Nothing was imported/);
  const row = await page.locator('table tbody tr').first().textContent();
  assert.match(row, /^\s*2\s/, 'the second pupil');
  assert.match(row, /check letter/);
  assert.ok(!row.includes('Zoë'), 'no name in the report');
  await clean(page, 'CTF import page with a refused pupil');

  // Pressing Import without choosing the file again: the error, linked to the input.
  const goodFile = ctf(urn, lea, [good], { lunch: true });
  await page.getByLabel('The Common Transfer File').setInputFiles(file(goodFile));
  await go(page, page.getByRole('button', { name: 'Check the file' }).click());
  assert.match(await page.locator('#verdict').textContent(), /can be imported/);
  assert.equal((await page.locator('#n-added').textContent()).trim(), '1');
  assert.equal((await page.locator('#n-lunchtime').textContent()).trim(), '1');
  await clean(page, 'CTF import page after a clean check');
  await go(page, page.getByRole('button', { name: 'Import the file' }).click());
  assert.match(await page.locator('.govuk-error-summary').textContent(), /Choose the Common Transfer File/);
  await clean(page, 'CTF import page with an error');
  assert.equal(sql(`SELECT count(*) FROM pupils WHERE upn = '${good}'`), '0');

  await page.getByLabel('The Common Transfer File').setInputFiles(file(goodFile));
  await go(page, page.getByRole('button', { name: 'Check the file' }).click());
  await page.getByLabel('Choose the same file again to import it').setInputFiles(file(goodFile));
  await go(page, page.getByRole('button', { name: 'Import the file' }).click());
  assert.match(await page.locator('.govuk-panel').textContent(), /Imported/);
  assert.equal((await page.locator('#n-added').textContent()).trim(), '1');
  await clean(page, 'CTF import page after the import');
  assert.equal(sql(`SELECT forenames || ' ' || surname FROM pupils WHERE upn = '${good}'`), "Zoë0 Ó'Brien");
});

test('a school\'s establishment number: typed on its form (a wrong one said so), shown on its page', async () => {
  const page = await (await browser.newContext()).newPage();
  await signInPage(page, srv.base, 'admin');
  await page.goto(`${srv.base}/schools/1/edit`);
  await page.getByLabel('Establishment number (optional)').fill('21O1');
  await go(page, page.getByRole('button', { name: 'Save changes' }).click());
  assert.match(await page.locator('.govuk-error-summary').textContent(), /Establishment number must be 4 numbers/);
  await clean(page, 'school form with a wrong establishment number');
  await page.getByLabel('Establishment number (optional)').fill('2101');
  await go(page, page.getByRole('button', { name: 'Save changes' }).click());
  const row = page.locator('.govuk-summary-list__row', { hasText: 'Establishment number' });
  assert.match(await row.textContent(), /2101/);
  await clean(page, 'school page with its establishment number');
  assert.equal(sql('SELECT establishment_number FROM schools WHERE id = 1'), '2101');
  sql("UPDATE schools SET establishment_number = '' WHERE id = 1");
});
