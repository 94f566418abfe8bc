-- ipxe-lsp for Neovim's built-in LSP client.
--
-- Put this file in your config (e.g. ~/.config/nvim/lua/ipxe.lua) and add
-- `require('ipxe')` to init.lua, or paste it there. `ipxe-lsp` must be on
-- your PATH (cargo install --path crates/ipxe-lsp).
--
-- Works with Neovim 0.7 and later (on 0.8+ `vim.lsp.start` would do too).

-- .ipxe files are iPXE scripts; so is any file starting with #!ipxe / #!gpxe.
local function starts_like_ipxe(bufnr)
  local first = vim.api.nvim_buf_get_lines(bufnr, 0, 1, false)[1] or ''
  return first:match('^#!ipxe') ~= nil or first:match('^#!gpxe') ~= nil
end

if vim.fn.has('nvim-0.8') == 1 then
  vim.filetype.add({
    extension = { ipxe = 'ipxe' },
    pattern = { ['.*'] = { function(_, bufnr)
      if starts_like_ipxe(bufnr) then return 'ipxe' end
    end, { priority = -math.huge } } },
  })
else
  -- Neovim 0.7 detects file types with filetype.vim: vim.filetype.add exists
  -- there but is not consulted, and filetype.vim calls any file whose first
  -- line starts with '#' `conf`. This autocommand is defined before
  -- filetype.vim's (user config loads first), so it runs first, and once the
  -- type is set filetype.vim's `setfiletype` leaves it alone.
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    pattern = '*',
    callback = function(args)
      if args.file:match('%.ipxe$') or starts_like_ipxe(args.buf) then
        vim.bo[args.buf].filetype = 'ipxe'
      end
    end,
  })
end

local M = {}

-- Editor settings, sent as initializationOptions (see crates/ipxe-lsp/README.md).
M.settings = {
  -- target = { 'bin/undionly.kpxe' },   -- the builds the scripts must work on
  -- configDir = '/path/to/ipxe/src/config/local',
  -- indent = 2,                         -- indent commands under labels when formatting
}

local client_id = nil

function M.attach(bufnr)
  if client_id == nil or vim.lsp.get_client_by_id(client_id) == nil then
    local file = vim.api.nvim_buf_get_name(bufnr)
    local root = vim.fn.fnamemodify(file, ':p:h')
    client_id = vim.lsp.start_client({
      name = 'ipxe-lsp',
      cmd = { M.cmd or 'ipxe-lsp' },
      root_dir = root,
      init_options = M.settings,
      handlers = M.handlers,
    })
  end
  if client_id then
    vim.lsp.buf_attach_client(bufnr, client_id)
  end
end

vim.api.nvim_create_autocmd('FileType', {
  pattern = 'ipxe',
  callback = function(args) M.attach(args.buf) end,
})

return M
