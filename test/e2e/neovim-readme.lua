-- Runs the README's Neovim snippet as a user's init.lua would, then opens one file with a given
-- filetype, waits for the server's diagnostics, asks for a hover and prints a JSON summary.
-- Settings come from the environment:
--   SBD_NVIM_INIT      the snippet (a Lua file) to run first
--   SBD_NVIM_FILE      file to open
--   SBD_NVIM_FILETYPE  filetype to give it (e.g. yaml.docker-compose)
--   SBD_NVIM_HOVER     JSON {line, character} (0-based) to hover at
--   SBD_NVIM_TIMEOUT_MS how long to wait (default 20000)
local result = { ok = false }
local function finish()
  io.stdout:write(vim.fn.json_encode(result) .. '\n')
  io.stdout:flush()
  vim.cmd(result.ok and 'qall!' or 'cquit! 1')
end

local version = vim.version()
result.nvim = string.format('%d.%d.%d', version.major, version.minor, version.patch)
local ok, err = pcall(vim.cmd, 'luafile ' .. vim.fn.fnameescape(os.getenv('SBD_NVIM_INIT')))
if not ok then
  result.error = 'the snippet failed: ' .. tostring(err)
  return finish()
end

local timeout = tonumber(os.getenv('SBD_NVIM_TIMEOUT_MS') or '20000')
vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('SBD_NVIM_FILE')))
local buffer = vim.api.nvim_get_current_buf()
vim.bo[buffer].filetype = os.getenv('SBD_NVIM_FILETYPE')

local function clients()
  local names = {}
  for _, client in pairs(vim.lsp.buf_get_clients(buffer)) do table.insert(names, client.name) end
  return names
end

vim.wait(timeout, function() return #vim.diagnostic.get(buffer) > 0 end, 20)
result.clients = clients()
result.diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(buffer)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  table.insert(result.diagnostics, { lnum = d.lnum, col = d.col, code = lsp.code, source = d.source })
end
if #result.diagnostics == 0 then
  result.error = 'no diagnostics within ' .. timeout .. ' ms (clients attached: ' .. table.concat(result.clients, ',') .. ')'
  return finish()
end

local at = vim.fn.json_decode(os.getenv('SBD_NVIM_HOVER'))
local params = { textDocument = { uri = vim.uri_from_bufnr(buffer) }, position = at }
local responses = vim.lsp.buf_request_sync(buffer, 'textDocument/hover', params, timeout) or {}
for _, response in pairs(responses) do
  local contents = response.result and response.result.contents
  if contents then result.hover = { kind = contents.kind, value = contents.value } end
end
if not result.hover then result.error = 'no hover' end

-- "Show documentation for …": the server's command; 0.8+ opens the page (window/showDocument),
-- 0.7 has no showDocument and is told where the page is (window/showMessage → vim.notify).
local messages = {}
local notify = vim.notify
vim.notify = function(message, ...) table.insert(messages, tostring(message)); return notify(message, ...) end
local show_message = vim.lsp.handlers['window/showMessage']
vim.lsp.handlers['window/showMessage'] = function(err, message, ctx, config)
  if message and message.message then table.insert(messages, message.message) end
  return show_message(err, message, ctx, config)
end
local command = { command = 'sbd.showRuleDocumentation', arguments = { os.getenv('SBD_NVIM_RULE') or 'TCB001' } }
vim.lsp.buf_request_sync(buffer, 'workspace/executeCommand', command, timeout)
vim.wait(3000, function() return vim.api.nvim_get_current_buf() ~= buffer or #messages > 0 end, 20)
result.documentation = { buffer = vim.api.nvim_buf_get_name(vim.api.nvim_get_current_buf()), messages = messages }
result.ok = result.error == nil
finish()
