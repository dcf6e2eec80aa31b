// The VS Code side: starts the gd language server (server/server.mjs, on Node) for .gd files.
'use strict';
const path = require('node:path');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const module = context.asAbsolutePath(path.join('server', 'server.mjs'));
  const serverOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio },
  };
  const clientOptions = { documentSelector: [{ scheme: 'file', language: 'gd' }] };
  client = new LanguageClient('gdlang', 'gdlang', serverOptions, clientOptions);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
