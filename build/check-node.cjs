// Every npm script runs on the pinned Node 22 from node_modules/.bin (devDependency "node").
// better-sqlite3 13 segfaults on Node 20, so fail early with a clear message instead.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `計画ワークベンチには Node 22 以上が必要です（現在 ${process.version}）。npm ci を実行してから npm のスクリプト経由で起動してください。\n` +
      `Plan Workbench needs Node 22 or newer (this is ${process.version}). Run "npm ci" first and start through npm scripts, which use the pinned Node 22.`,
  );
  // During the very first install the pinned Node is not there yet: allow the install itself.
  if (process.env.npm_lifecycle_event !== 'preinstall') process.exit(1);
}
