// Starts ipxe-lsp for iPXE scripts. All the language smarts are in the server.
import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

function settings(): object {
  const config = vscode.workspace.getConfiguration('ipxe');
  return {
    target: config.get<string[]>('target', []),
    configDir: config.get<string | null>('configDir', null),
    indent: config.get<number | null>('indent', null),
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const command = vscode.workspace.getConfiguration('ipxe').get<string>('server.path', 'ipxe-lsp');
  const serverOptions: ServerOptions = {
    run: { command, transport: TransportKind.stdio },
    debug: { command, transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'ipxe' }, { scheme: 'untitled', language: 'ipxe' }],
    initializationOptions: settings(),
  };
  client = new LanguageClient('ipxe-lsp', 'iPXE language server', serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('ipxe') && client) {
        client.sendNotification('workspace/didChangeConfiguration', { settings: { ipxe: settings() } });
      }
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
  }
}
