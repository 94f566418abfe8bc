-- Test observer, run with `-c 'luafile …'` after the user's own config has
-- loaded: it changes nothing, only waits for the language server's
-- diagnostics in the current buffer and writes what the user would see to
-- $IPXE_NVIM_OUT: the buffer's filetype, the attached clients, then one
-- "CODE LINE:COL" per diagnostic, sorted.
local out = os.getenv('IPXE_NVIM_OUT')

local function write(diagnostics)
  local lines = {}
  for _, d in ipairs(diagnostics) do
    -- Neovim 0.7 keeps the LSP code under user_data; later versions copy it.
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    table.insert(lines, string.format('%s %d:%d', code, d.lnum + 1, d.col + 1))
  end
  table.sort(lines)
  local clients = {}
  for _, client in pairs(vim.lsp.buf_get_clients(0)) do
    table.insert(clients, client.name)
  end
  table.sort(clients)
  table.insert(lines, 1, 'clients=' .. table.concat(clients, ','))
  table.insert(lines, 1, 'filetype=' .. vim.bo.filetype)
  local f = io.open(out, 'w')
  f:write(table.concat(lines, '\n') .. '\n')
  f:close()
end

-- Poll: the observer must not replace the client's handlers.
local deadline = vim.loop.now() + 30000
local function poll()
  local diagnostics = vim.diagnostic.get(0)
  if #diagnostics > 0 or vim.loop.now() > deadline then
    write(diagnostics)
    vim.cmd(#diagnostics > 0 and 'qall!' or 'cquit! 3')
  else
    vim.defer_fn(poll, 100)
  end
end
poll()
