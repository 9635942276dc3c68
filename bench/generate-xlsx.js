// node bench/generate-xlsx.js <file.xlsx> <rows> — the generated contacts as a workbook, with
// the xlsx package the project reads workbooks with. Run as a child process so that building
// the sheet in memory does not count toward the measured steps.
import fs from 'node:fs';
import XLSX from 'xlsx';
import { contactRows, HEADER } from './generate.js';

const [file, rows] = process.argv.slice(2);
const sheet = XLSX.utils.aoa_to_sheet([HEADER, ...contactRows(Number(rows))]);
const book = XLSX.utils.book_new();
XLSX.utils.book_append_sheet(book, sheet, 'Contacts');
fs.writeFileSync(file, XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true }));
