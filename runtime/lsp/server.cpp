// The server's loop. A reader thread frames messages off the input into a
// queue; the main thread answers them in order, and between messages runs the
// debounced checks of edited documents. A request still queued when its
// $/cancelRequest arrives is answered "cancelled" without running. Every
// failure (bad framing, bad JSON, an unknown method, wrong parameters) is a
// JSON-RPC error reply, never an exception out of serve().
#include "ironlaw/runtime/lsp/server.hpp"

#include <condition_variable>
#include <deque>
#include <istream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <thread>

#include "features.hpp"
#include "ironlaw/runtime/interp/check_environment.hpp"
#include "ironlaw/runtime/interp/registry.hpp"
#include "transport.hpp"

namespace ironlaw::runtime::lsp {
namespace {

using clock = std::chrono::steady_clock;

// JSON-RPC and LSP error codes.
enum error_code {
  parse_error = -32700,
  invalid_request = -32600,
  method_not_found = -32601,
  invalid_params = -32602,
  internal_error = -32603,
  server_not_initialized = -32002,
  request_failed = -32803,
  request_cancelled = -32800,
};

// Messages the reader thread has framed, for the main thread.
class inbox {
 public:
  void push(frame f) {
    {
      std::lock_guard lock(mutex_);
      frames_.push_back(std::move(f));
    }
    ready_.notify_one();
  }
  // The next frame, or nullopt when `deadline` passes first.
  std::optional<frame> pop(std::optional<clock::time_point> deadline) {
    std::unique_lock lock(mutex_);
    auto has = [&] { return !frames_.empty(); };
    if (deadline) {
      if (!ready_.wait_until(lock, *deadline, has)) return std::nullopt;
    } else {
      ready_.wait(lock, has);
    }
    auto f = std::move(frames_.front());
    frames_.pop_front();
    return f;
  }
  // Removes a queued `$/cancelRequest` for `id`; true when there was one.
  bool take_cancel(const nlohmann::json& id) {
    std::lock_guard lock(mutex_);
    for (auto it = frames_.begin(); it != frames_.end(); ++it) {
      if (it->s != frame::status::message || it->body.find("$/cancelRequest") == std::string::npos) continue;
      auto msg = nlohmann::json::parse(it->body, nullptr, false);
      if (msg.is_object() && msg.value("method", "") == "$/cancelRequest" && msg.contains("params") &&
          msg["params"].is_object() && msg["params"].value("id", nlohmann::json()) == id) {
        frames_.erase(it);
        return true;
      }
    }
    return false;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<frame> frames_;
};

struct open_document {
  std::string text;
  std::shared_ptr<document> analysis;
  std::optional<clock::time_point> check_at;  // a change waits for its debounce
};

class server {
 public:
  server(const registry& reg, std::ostream& out, const server_options& options)
      : env_(reg), ctx_{reg, env_, options.registry_root}, out_(out), options_(options) {}

  // Handles one frame; false when the server should stop (after `exit`).
  bool handle(const frame& f, inbox& queue) {
    if (f.s == frame::status::bad_header || f.s == frame::status::too_large) {
      reply_error(nullptr, f.s == frame::status::too_large ? invalid_request : parse_error, f.problem);
      return true;
    }
    auto msg = json::parse(f.body, nullptr, false);
    if (msg.is_discarded()) {
      reply_error(nullptr, parse_error, "the message is not JSON");
      return true;
    }
    if (!msg.is_object() || !msg.contains("method") || !msg["method"].is_string()) {
      json id = msg.is_object() && msg.contains("id") ? msg["id"] : json();
      if (msg.is_object() && !msg.contains("method") && (msg.contains("result") || msg.contains("error")))
        return true;  // a reply to a request of ours (we send none that need one)
      reply_error(id, invalid_request, "a JSON-RPC message is an object with a \"method\" string");
      return true;
    }
    auto method = msg["method"].get<std::string>();
    json params = msg.contains("params") ? msg["params"] : json::object();
    if (!msg.contains("id")) return notification(method, params);
    const json& id = msg["id"];
    if (!id.is_number_integer() && !id.is_string()) {
      reply_error(nullptr, invalid_request, "a request's id is a number or a string");
      return true;
    }
    if (queue.take_cancel(id)) {
      reply_error(id, request_cancelled, "cancelled");
      return true;
    }
    request(id, method, params);
    return true;
  }

  // The soonest debounce deadline of an edited document.
  std::optional<clock::time_point> next_check() const {
    std::optional<clock::time_point> soonest;
    for (const auto& [uri, d] : docs_)
      if (d.check_at && (!soonest || *d.check_at < *soonest)) soonest = d.check_at;
    return soonest;
  }

  void run_due_checks() {
    auto now = clock::now();
    for (auto& [uri, d] : docs_)
      if (d.check_at && *d.check_at <= now) refresh(uri, d);
  }

  [[nodiscard]] int exit_code() const { return shut_down_ ? 0 : 1; }

 private:
  check_environment env_;
  context ctx_;
  std::ostream& out_;
  server_options options_;
  std::map<std::string, open_document> docs_;
  bool initialized_ = false;
  bool shut_down_ = false;

  void send(const json& msg) { write_frame(out_, msg.dump(-1, ' ', false, json::error_handler_t::replace)); }
  void reply(const json& id, json result) { send({{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}}); }
  void reply_error(const json& id, int code, const std::string& message) {
    send({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
  }
  void notify(const std::string& method, json params) {
    send({{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
  }

  // Checks a document now and publishes its diagnostics and its imports'.
  void refresh(const std::string& uri, open_document& d) {
    d.check_at.reset();
    auto previous = d.analysis;
    d.analysis = analyze(uri_to_path(uri), d.text, env_, previous.get());
    d.analysis->uri = uri;
    notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", diagnostics_json(*d.analysis, uri)}});
    publish_imports(*d.analysis, 0);
  }
  void publish_imports(const document& doc, std::size_t depth) {
    for (const auto& i : doc.imports) {
      if (!i.doc || docs_.count(i.doc->uri) || depth > 8) continue;  // an open file publishes its own
      notify("textDocument/publishDiagnostics",
             {{"uri", i.doc->uri}, {"diagnostics", diagnostics_json(*i.doc, i.doc->uri)}});
      publish_imports(*i.doc, depth + 1);
    }
  }

  // The document a request names, checked if an edit is waiting.
  const document& current(const json& params) {
    auto uri = params.at("textDocument").at("uri").get<std::string>();
    auto it = docs_.find(uri);
    if (it == docs_.end()) throw request_error{"the document " + uri + " is not open"};
    if (it->second.check_at || !it->second.analysis) refresh(uri, it->second);
    return *it->second.analysis;
  }

  bool notification(const std::string& method, const json& params) {
    if (method == "exit") return false;
    if (!initialized_) return true;  // before initialize, notifications are dropped (exit excepted)
    try {
      if (method == "textDocument/didOpen") {
        const auto& td = params.at("textDocument");
        auto uri = td.at("uri").get<std::string>();
        auto& d = docs_[uri];
        d.text = td.at("text").get<std::string>();
        refresh(uri, d);
      } else if (method == "textDocument/didChange") {
        auto uri = params.at("textDocument").at("uri").get<std::string>();
        auto it = docs_.find(uri);
        if (it == docs_.end()) return true;
        // Full synchronisation: the last change holds the whole text.
        const auto& changes = params.at("contentChanges");
        if (!changes.empty()) it->second.text = changes.back().at("text").get<std::string>();
        it->second.check_at = clock::now() + options_.debounce;
      } else if (method == "textDocument/didClose") {
        auto uri = params.at("textDocument").at("uri").get<std::string>();
        docs_.erase(uri);
        notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", json::array()}});
      } else if (method == "textDocument/didSave") {
        // An imported file changed on disk: every open document checks again.
        for (auto& [uri, d] : docs_) d.check_at = clock::now();
      }
    } catch (const std::exception&) {
      // A malformed notification has no reply to carry an error; it is dropped.
    }
    return true;
  }

  json initialize_result() {
    return {{"capabilities",
             {{"textDocumentSync", {{"openClose", true}, {"change", 1}, {"save", true}}},
              {"hoverProvider", true},
              {"completionProvider", {{"triggerCharacters", {".", " ", "("}}}},
              {"definitionProvider", true},
              {"referencesProvider", true},
              {"renameProvider", true},
              {"documentFormattingProvider", true},
              {"documentSymbolProvider", true},
              {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}},
              {"inlayHintProvider", true}}},
            {"serverInfo", {{"name", "ironlaw"}, {"version", "0.1.0"}}}};
  }

  using feature = json (*)(const document&, const context&, const json&);
  static const std::map<std::string, feature, std::less<>>& features() {
    static const std::map<std::string, feature, std::less<>> table = {
        {"textDocument/hover", &hover},
        {"textDocument/completion", &completion},
        {"textDocument/definition", &definition},
        {"textDocument/references", &references},
        {"textDocument/rename", &rename},
        {"textDocument/documentSymbol", &document_symbols},
        {"textDocument/formatting", &formatting},
        {"textDocument/codeAction", &code_actions},
        {"textDocument/inlayHint", &inlay_hints},
    };
    return table;
  }

  void request(const json& id, const std::string& method, const json& params) {
    if (method == "initialize") {
      initialized_ = true;
      reply(id, initialize_result());
      return;
    }
    if (!initialized_) return reply_error(id, server_not_initialized, "initialize first");
    if (shut_down_) return reply_error(id, invalid_request, "the server is shutting down");
    if (method == "shutdown") {
      shut_down_ = true;
      reply(id, nullptr);
      return;
    }
    auto it = features().find(method);
    if (it == features().end()) return reply_error(id, method_not_found, "unknown method '" + method + "'");
    try {
      reply(id, it->second(current(params), ctx_, params));
    } catch (const request_error& e) {
      reply_error(id, request_failed, e.message);
    } catch (const json::exception& e) {
      reply_error(id, invalid_params, std::string("bad parameters: ") + e.what());
    } catch (const std::exception& e) {
      reply_error(id, internal_error, e.what());
    }
  }
};

}  // namespace

int serve(const registry& reg, std::istream& in, std::ostream& out, const server_options& options) {
  in.tie(nullptr);  // the reader thread must never flush `out` behind the main thread's back
  auto queue = std::make_shared<inbox>();
  std::thread reader([queue, &in, limit = options.max_message_bytes] {
    while (true) {
      auto f = read_frame(in, limit);
      bool end = f.s == frame::status::end;
      queue->push(std::move(f));
      if (end) break;
    }
  });
  server s(reg, out, options);
  int code = 1;
  bool input_ended = false;
  while (true) {
    auto f = queue->pop(s.next_check());
    if (!f) {
      s.run_due_checks();
      continue;
    }
    if (f->s == frame::status::end) {
      input_ended = true;
      break;
    }
    if (!s.handle(*f, *queue)) {
      code = s.exit_code();
      break;
    }
  }
  // After `exit` the reader may still be blocked on input the client has not
  // closed: it is detached (it owns its queue) and ends with the process.
  if (input_ended) reader.join();
  else reader.detach();
  return code;
}

}  // namespace ironlaw::runtime::lsp
