-- Headless Neovim as the language server's client: start the server over stdio, open one file,
-- wait for its diagnostics, optionally make an edit and wait again, print a JSON summary on
-- stdout and quit. Settings come from the environment (see neovim-lsp-diagnostics.sh):
--   SBD_NVIM_CMD        JSON array: the server command line
--   SBD_NVIM_FILE       file to open
--   SBD_NVIM_ROOT       workspace folder (default: the file's folder)
--   SBD_NVIM_MIN        wait for at least this many diagnostics (default 1; 0: the first publish)
--   SBD_NVIM_CODE       also wait until a diagnostic with this code (a rule id) is shown
--   SBD_NVIM_TIMEOUT_MS how long to wait (default 20000)
--   SBD_NVIM_EDIT       JSON {line, from, to, text}: replace that span (0-based) after the first
--                       diagnostics, then wait until the diagnostics change
--   SBD_NVIM_REQUESTS   JSON [{method, line, character}]: after the diagnostics, send each request
--                       for that position of the file and keep the results in `responses`
--   SBD_NVIM_ACTIONS    JSON [{action, line, character, newName?}]: then run Neovim's own commands
--                       there (definition, references, rename; links: open each document link's
--                       target) and keep what they did in `actions`
-- Exit code: 0 ok, 1 timed out, 2 could not start.

local function env(name, default)
  local value = os.getenv(name)
  if value == nil or value == '' then return default end
  return value
end

local started = vim.loop.hrtime()
local function elapsed() return math.floor((vim.loop.hrtime() - started) / 1e6) end
local result = { ok = false, timings_ms = vim.empty_dict() }

local function finish(code)
  io.stdout:write(vim.fn.json_encode(result) .. '\n')
  io.stdout:flush()
  vim.cmd(code == 0 and 'qall!' or ('cquit! ' .. code))
end

local ok, cmd = pcall(vim.fn.json_decode, env('SBD_NVIM_CMD', ''))
local file = env('SBD_NVIM_FILE', nil)
if not ok or type(cmd) ~= 'table' or #cmd == 0 or not file then
  result.error = 'SBD_NVIM_CMD (JSON array) and SBD_NVIM_FILE are required'
  return finish(2)
end
file = vim.fn.fnamemodify(file, ':p')
local root = vim.fn.fnamemodify(env('SBD_NVIM_ROOT', vim.fn.fnamemodify(file, ':h')), ':p'):gsub('/$', '')
local timeout = tonumber(env('SBD_NVIM_TIMEOUT_MS', '20000'))
local wanted = tonumber(env('SBD_NVIM_MIN', '1'))
local wanted_code = env('SBD_NVIM_CODE', nil)

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buffer = vim.api.nvim_get_current_buf()
vim.bo[buffer].filetype = 'yaml'

-- With SBD_NVIM_MIN=0 the wait ends at the first publish for the file, empty or not.
local published = false
local publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, params, ctx, config)
  if params and params.uri == vim.uri_from_bufnr(buffer) then published = true end
  return publish(err, params, ctx, config)
end

local exited = nil
local client_id = vim.lsp.start_client({
  name = 'sbd',
  cmd = cmd,
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') } },
  on_init = function() result.timings_ms.initialized = elapsed() end,
  on_exit = function(code, signal) exited = { code = code, signal = signal } end,
})
if not client_id then
  result.error = 'vim.lsp.start_client failed'
  return finish(2)
end
vim.lsp.buf_attach_client(buffer, client_id)

local function collect()
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buffer)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(list, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity, source = d.source, code = lsp.code, message = d.message })
  end
  table.sort(list, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  return list
end

local function shown()
  local list = vim.diagnostic.get(buffer)
  if #list < wanted or (wanted == 0 and not published) then return false end
  if not wanted_code then return true end
  for _, d in ipairs(list) do
    if d.user_data and d.user_data.lsp and d.user_data.lsp.code == wanted_code then return true end
  end
  return false
end

vim.wait(timeout, function() return exited ~= nil or shown() end, 20)
if exited or not shown() then
  result.error = exited and 'server exited' or ((wanted_code and (wanted_code .. ' not among ') or 'fewer than ') .. wanted .. ' diagnostics within ' .. timeout .. ' ms')
  result.diagnostics = collect()
  result.server_exit = exited
  return finish(result.timings_ms.initialized and 1 or 2)
end
result.timings_ms.diagnostics = elapsed()
-- let a second publish (cross-file results after indexing) land
vim.wait(300, function() return false end, 20)
result.diagnostics = collect()

local requests = env('SBD_NVIM_REQUESTS', nil)
if requests then
  local client = vim.lsp.get_client_by_id(client_id)
  result.responses = {}
  for _, request in ipairs(vim.fn.json_decode(requests)) do
    local params = { textDocument = { uri = vim.uri_from_bufnr(buffer) }, position = { line = request.line, character = request.character } }
    local response, err = client.request_sync(request.method, params, timeout, buffer)
    table.insert(result.responses, { method = request.method, result = response and response.result or vim.NIL, error = err or (response and response.err) or vim.NIL })
  end
end

-- Neovim's own commands, as a user runs them: each moves the cursor, runs the command, waits for
-- what the user would see (another buffer, the quickfix list, edited buffers) and records it.
local actions = env('SBD_NVIM_ACTIONS', nil)
if actions then
  result.actions = {}
  local function where()
    local cursor = vim.api.nvim_win_get_cursor(0)
    return { file = vim.api.nvim_buf_get_name(0), line = cursor[1] - 1, character = cursor[2] }
  end
  for _, action in ipairs(vim.fn.json_decode(actions)) do
    vim.cmd('cclose')
    vim.api.nvim_set_current_buf(buffer)
    vim.api.nvim_win_set_cursor(0, { action.line + 1, action.character })
    local record = { action = action.action }
    if action.action == 'definition' then
      vim.lsp.buf.definition()
      record.ok = vim.wait(timeout, function() return vim.api.nvim_get_current_buf() ~= buffer end, 20)
      record.at = where()
    elseif action.action == 'references' then
      vim.fn.setqflist({}, 'r')
      vim.lsp.buf.references({ includeDeclaration = true })
      record.ok = vim.wait(timeout, function() return #vim.fn.getqflist() > 0 end, 20)
      record.items = {}
      for _, item in ipairs(vim.fn.getqflist()) do
        table.insert(record.items, { file = vim.api.nvim_buf_get_name(item.bufnr), line = item.lnum - 1 })
      end
    elseif action.action == 'rename' then
      local before = vim.fn.changenr()
      vim.lsp.buf.rename(action.newName)
      -- The edit lands in every file of the model; :wall writes them as the user would.
      record.ok = vim.wait(timeout, function()
        for _, other in ipairs(vim.api.nvim_list_bufs()) do
          if vim.api.nvim_buf_is_loaded(other) and vim.bo[other].modified then return true end
        end
        return false
      end, 20)
      vim.wait(300, function() return false end, 20)
      vim.cmd('silent! wall')
      record.changed = vim.fn.changenr() ~= before
    elseif action.action == 'links' then
      -- Neovim 0.7 draws no document links; open each target as `gf` would.
      local client = vim.lsp.get_client_by_id(client_id)
      local response = client.request_sync('textDocument/documentLink', { textDocument = { uri = vim.uri_from_bufnr(buffer) } }, timeout, buffer)
      record.links = {}
      for _, link in ipairs(response and response.result or {}) do
        vim.cmd('edit ' .. vim.fn.fnameescape(vim.uri_to_fname(link.target)))
        table.insert(record.links, { target = link.target, line = link.range.start.line, opened = vim.api.nvim_buf_get_name(0), first_line = vim.api.nvim_buf_get_lines(0, 0, 1, false)[1] })
      end
      record.ok = #record.links > 0
    end
    table.insert(result.actions, record)
  end
  vim.api.nvim_set_current_buf(buffer)
end

local edit = env('SBD_NVIM_EDIT', nil)
if edit then
  local change = vim.fn.json_decode(edit)
  local before = vim.fn.json_encode(collect())
  vim.api.nvim_buf_set_text(buffer, change.line, change.from, change.line, change.to, { change.text })
  local changed = vim.wait(timeout, function() return vim.fn.json_encode(collect()) ~= before end, 20)
  result.timings_ms.after_edit = elapsed()
  result.after_edit = collect()
  if not changed then result.error = 'diagnostics did not change after the edit' end
end

local client = vim.lsp.get_client_by_id(client_id)
if client and not exited then
  client.stop()
  vim.wait(3000, function() return exited ~= nil end, 20)
  if not exited then client.stop(true); vim.wait(2000, function() return exited ~= nil end, 20) end
end
result.server_exit = exited
result.ok = result.error == nil
finish(result.ok and 0 or 1)
