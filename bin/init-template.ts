/** The files `gd init` writes: a program that loads a csv, the csv (generated here, deterministic), and a README. */

/** y = 2*x1 - x2 + 0.5 plus small noise, from a fixed linear congruential generator (the same file every time). */
function dataCsv(rows = 64): string {
  let s = 12345;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const lines = ['x1,x2,y'];
  for (let i = 0; i < rows; i++) {
    const x1 = next() * 4 - 2;
    const x2 = next() * 4 - 2;
    const y = 2 * x1 - x2 + 0.5 + (next() - 0.5) * 0.1;
    lines.push([x1, x2, y].map((v) => v.toFixed(4)).join(','));
  }
  return `${lines.join('\n')}\n`;
}

const MAIN_GD = `# main.gd — fit y ≈ X @ w + b to data.csv by least squares (gd run main.gd)
data D: [n, 3] = load("data.csv") # columns x1, x2, y; n is the number of rows
data X: [n, 2] = D[:, 0:2]
data y: [n] = D[:, 2]
param w: [2] = zeros
param b: [1] = zeros
minimize loss = 0.5 * mean((X @ w + b - y)^2)
  over w, b
  by adam(lr: 0.1)
  for 300 steps
  log every 25: loss, gn = norm(grad(loss, w))
save w, b to "fit.json"
`;

const README = (name: string) => `# ${name}

A gdlang project: \`main.gd\` states an objective (least squares on \`data.csv\`), the variables it is
minimized over, and the method that minimizes it.

    gd check main.gd          # syntax, names, shapes — with source locations
    gd run main.gd            # runs it; writes runs/main-<time>/ (metrics.csv, metrics.svg, params.json, fit.json)
    gd plot runs/main-<time>  # redraws metrics.svg
    gd fmt main.gd            # canonical layout, comments kept

Things to try: change \`adam(lr: 0.1)\` to \`gd(lr: 0.1)\` or \`momentum(lr: 0.05, beta: 0.9)\`; put
\`in simplex\` after \`param w: [2]\` to constrain w; replace \`data.csv\` with your own file (the first row
may be a header of names; the rows set \`n\`).
`;

/** The scaffold's files, by path relative to the project folder. */
export function scaffoldFiles(projectName: string): Record<string, string> {
  return { 'main.gd': MAIN_GD, 'data.csv': dataCsv(), 'README.md': README(projectName) };
}
