// Starts `ironlaw lsp` for .iron files (docs/editors.md). The binary is the
// setting ironlaw.path (default: `ironlaw` on the PATH).
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("ironlaw").get("path") || "ironlaw";
  const server = { command, args: ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient("ironlaw", "ironlaw", { run: server, debug: server }, {
    documentSelector: [{ scheme: "file", language: "ironlaw" }, { scheme: "untitled", language: "ironlaw" }],
  });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
