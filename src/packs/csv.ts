/**
 * A small RFC 4180 CSV reader, written here because no CSV package is installed and the
 * GPQA file needs a real one: its fields hold quoted commas, doubled quotes and embedded
 * newlines. Accepts CRLF or LF records (the Sudoku file is CRLF), a UTF-8 BOM, and a
 * missing final newline. It is strict where leniency would silently shift columns: a
 * quote inside an unquoted field, text after a closing quote, or an unclosed quote throws.
 */

// A run of unquoted field text, stopping before a separator, quote or line break. A "\r" not
// followed by "\n" is field text, taken alone, so every match advances.
const PLAIN_RUN = /[^,\n\r"]+|\r/y;

/** Parses CSV text into records of raw field strings (no trimming, no type conversion). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  // Set after a quoted field closes: only a separator or the end of the record may follow.
  let closed = false;
  const endField = () => {
    record.push(field);
    field = "";
    closed = false;
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && field === "" && !closed) {
      const start = line;
      i++;
      // Copy up to each quote in one slice: per-character appends are slow on large fields.
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new Error(`CSV: unclosed quoted field starting on line ${start}`);
        const chunk = text.slice(i, quote);
        field += chunk;
        line += chunk.split("\n").length - 1;
        if (text[quote + 1] === '"') {
          field += '"';
          i = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      closed = true;
      continue;
    }
    if (c === ",") {
      endField();
      i++;
    } else if (c === "\n" || (c === "\r" && text[i + 1] === "\n")) {
      endRecord();
      i += c === "\r" ? 2 : 1;
      line++;
    } else if (closed) {
      throw new Error(`CSV: unexpected ${JSON.stringify(c)} after a closing quote on line ${line}`);
    } else if (c === '"') {
      throw new Error(`CSV: a quote inside an unquoted field on line ${line}`);
    } else {
      PLAIN_RUN.lastIndex = i;
      PLAIN_RUN.exec(text);
      field += text.slice(i, PLAIN_RUN.lastIndex);
      i = PLAIN_RUN.lastIndex;
    }
  }
  // A final record without a trailing newline; a trailing newline adds no empty record.
  if (field !== "" || closed || record.length > 0) endRecord();
  return records;
}

/**
 * CSV text as objects keyed by the header row. Throws when a record's field count differs
 * from the header's (naming the record), since that means a quoting error upstream.
 */
export function parseCsvObjects(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((row, r) => {
    if (row.length !== header.length) {
      throw new Error(`CSV: record ${r + 1} has ${row.length} fields, the header has ${header.length}`);
    }
    return Object.fromEntries(header.map((name, k) => [name, row[k]!]));
  });
}
