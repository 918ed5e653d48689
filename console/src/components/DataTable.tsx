/** A table as the consoles show them: an optional caption, column headers, each row's first cell
 * its header; wide tables scroll sideways on a narrow screen instead of widening the page. */
import type { ReactNode } from 'react';

export interface Row {
  key: string | number;
  cells: ReactNode[];
  className?: string;
}

export function DataTable({ caption, headers, rows }: { caption?: string; headers: string[]; rows: Row[] }) {
  return (
    <div className="scroll">
      <table>
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            {headers.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} className={r.className}>
              {r.cells.map((c, i) => (i === 0 ? <th scope="row" key={i}>{c}</th> : <td key={i}>{c}</td>))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
