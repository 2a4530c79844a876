-- Drives 'kubeadm-lint lsp' through Neovim's own LSP client (vim.lsp, Neovim 0.7 and later),
-- headless. cmd/kubeadm-lint/editor_test.go runs it and compares what it writes with the CLI.
--
-- Environment: KL_SERVER the kubeadm-lint binary; KL_FILES the files whose diagnostics and hovers
-- to record; KL_FIXALL the files to apply the 'source.fixAll' action to; KL_QUICKFIX the files to
-- apply the first quick fix to; KL_OUT where to write the JSON result. Lists are one path a line.
local out = { files = {}, fixes = {}, after = {} }
local published = {}

local function list(name)
  return vim.split(vim.env[name] or '', '\n', { trimempty = true })
end

local function main()
  local id = vim.lsp.start_client({
    name = 'kubeadm-lint',
    cmd = { vim.env.KL_SERVER, 'lsp' },
    root_dir = vim.env.KL_ROOT,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
        published[result.uri] = result.diagnostics
      end,
    },
  })
  assert(id, 'vim.lsp.start_client failed')

  local function wait(uri, what)
    assert(vim.wait(60000, function() return published[uri] ~= nil end, 10), 'no diagnostics for ' .. what)
  end

  local function open(path)
    vim.cmd('edit ' .. vim.fn.fnameescape(path))
    local buf = vim.api.nvim_get_current_buf()
    vim.lsp.buf_attach_client(buf, id)
    local uri = vim.uri_from_bufnr(buf)
    wait(uri, path)
    return buf, uri
  end

  local function text(buf)
    return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') .. '\n'
  end

  -- apply runs the first code action of kind, and returns the buffer's text and the diagnostics
  -- the server publishes for the changed buffer.
  local function apply(buf, uri, kind, range)
    local params = {
      textDocument = { uri = uri },
      range = range,
      context = { diagnostics = published[uri], only = { kind } },
    }
    local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 60000)
    local action
    for _, r in pairs(responses or {}) do
      assert(not r.err, vim.inspect(r.err))
      for _, a in ipairs(r.result or {}) do
        action = action or a
      end
    end
    assert(action and action.edit, 'no ' .. kind .. ' action for ' .. uri)
    published[uri] = nil
    vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
    wait(uri, uri .. ' after the fix')
    local codes = {}
    for _, d in ipairs(published[uri]) do
      table.insert(codes, d.code)
    end
    return text(buf), codes, action.title
  end

  for _, path in ipairs(list('KL_FILES')) do
    local buf, uri = open(path)
    local ds = {}
    local hover = vim.NIL
    for _, d in ipairs(published[uri]) do
      table.insert(ds, {
        line = d.range.start.line + 1,
        code = d.code or vim.NIL,
        message = d.message,
        href = d.codeDescription and d.codeDescription.href or vim.NIL,
        related = d.relatedInformation and d.relatedInformation[1] and d.relatedInformation[1].message or vim.NIL,
      })
      if hover == vim.NIL and d.code then
        local responses = vim.lsp.buf_request_sync(buf, 'textDocument/hover',
          { textDocument = { uri = uri }, position = d.range.start }, 60000)
        for _, r in pairs(responses or {}) do
          if r.result then
            hover = { code = d.code, value = r.result.contents.value }
          end
        end
      end
    end
    out.files[path] = { diagnostics = ds, stored = #vim.diagnostic.get(buf), hover = hover }
  end

  for _, path in ipairs(list('KL_FIXALL')) do
    local buf, uri = open(path)
    local whole = { start = { line = 0, character = 0 }, ['end'] = { line = vim.api.nvim_buf_line_count(buf), character = 0 } }
    local fixed, codes = apply(buf, uri, 'source.fixAll', whole)
    out.fixes[path] = fixed
    out.after[path] = codes
  end

  for _, path in ipairs(list('KL_QUICKFIX')) do
    local buf, uri = open(path)
    local whole = { start = { line = 0, character = 0 }, ['end'] = { line = vim.api.nvim_buf_line_count(buf), character = 0 } }
    local fixed, codes, title = apply(buf, uri, 'quickfix', whole)
    out.fixes[path] = fixed
    out.after[path] = codes
    out.title = title
  end
end

local ok, err = pcall(main)
if not ok then
  out.error = tostring(err)
end
vim.fn.writefile({ vim.fn.json_encode(out) }, vim.env.KL_OUT)
vim.cmd(ok and 'qa!' or 'cquit 1')
