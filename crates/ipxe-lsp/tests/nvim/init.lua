-- Headless Neovim test config: attach ipxe-lsp to the .ipxe buffer with the
-- snippet from editors/neovim/ipxe.lua and write the diagnostics it receives
-- to $IPXE_NVIM_OUT, one "CODE LINE:COL" per line, then quit.
vim.opt.runtimepath:prepend(os.getenv('IPXE_NVIM_SNIPPET_DIR'))
local out = os.getenv('IPXE_NVIM_OUT')
local ipxe = dofile(os.getenv('IPXE_NVIM_SNIPPET_DIR') .. '/ipxe.lua')
ipxe.cmd = os.getenv('IPXE_LSP')
ipxe.handlers = {
  ['textDocument/publishDiagnostics'] = function(_, result, _, _)
    local lines = {}
    for _, d in ipairs(result.diagnostics) do
      table.insert(lines, string.format('%s %d:%d', d.code, d.range.start.line + 1, d.range.start.character + 1))
    end
    table.sort(lines)
    local f = io.open(out, 'w')
    f:write(table.concat(lines, '\n') .. '\n')
    f:close()
    vim.schedule(function() vim.cmd('qall!') end)
  end,
}
-- In case the FileType event fired before this config was read.
vim.schedule(function()
  if vim.bo.filetype ~= 'ipxe' then vim.bo.filetype = 'ipxe' end
end)
-- Give up after 30 s so a broken server fails the test instead of hanging it.
vim.defer_fn(function() vim.cmd('cquit! 3') end, 30000)
