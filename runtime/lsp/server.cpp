// The server's loop. A reader thread frames messages off the input into a
// queue; the main thread answers them in order, and between messages runs the
// debounced checks of edited documents. A request still queued when its
// $/cancelRequest arrives is answered "cancelled" without running; a check
// already running stops between statements when its document is edited again
// or the request waiting on it is cancelled. Every
// failure (bad framing, bad JSON, an unknown method, wrong parameters) is a
// JSON-RPC error reply, never an exception out of serve().
#include "ironlaw/runtime/lsp/server.hpp"

#include <fmt/format.h>

#include <condition_variable>
#include <deque>
#include <istream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
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
  content_modified = -32801,
};

// A frame as the reader thread hands it over: its JSON parsed there, so the
// reader can see edits and cancellations while the main thread is busy.
struct incoming {
  frame f;
  nlohmann::json msg;  // discarded when the body is not JSON
};

// A message's method, or empty.
std::string method_of(const nlohmann::json& msg) {
  if (!msg.is_object()) return {};
  auto it = msg.find("method");
  return it != msg.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The document a didChange or didClose names, or empty.
std::string edited_uri(const nlohmann::json& msg) {
  auto method = method_of(msg);
  if (method != "textDocument/didChange" && method != "textDocument/didClose") return {};
  const auto* params = msg.contains("params") && msg["params"].is_object() ? &msg["params"] : nullptr;
  if (!params || !params->contains("textDocument") || !(*params)["textDocument"].is_object()) return {};
  const auto& td = (*params)["textDocument"];
  return td.contains("uri") && td["uri"].is_string() ? td["uri"].get<std::string>() : std::string();
}

// The request id a $/cancelRequest names (dumped, so 7 and "7" differ), or empty.
std::string cancelled_id(const nlohmann::json& msg) {
  if (method_of(msg) != "$/cancelRequest" || !msg.contains("params") || !msg["params"].is_object()) return {};
  const auto& params = msg["params"];
  if (!params.contains("id") || !(params["id"].is_number_integer() || params["id"].is_string())) return {};
  return params["id"].dump();
}

// LSP messages are a few levels deep. A deeper one is refused while it is
// parsed: copying, comparing or printing a JSON tree recurses once per level,
// and a 16 MiB message of '[' would exhaust the stack.
constexpr int max_json_depth = 64;

// The message's JSON, discarded (with `problem` set) when it is not JSON or
// is nested deeper than max_json_depth.
nlohmann::json parse_message(const std::string& body, std::string& problem) {
  bool too_deep = false;
  auto msg = nlohmann::json::parse(
      body,
      [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
        if (depth > max_json_depth) too_deep = true;
        return !too_deep;
      },
      false);
  if (too_deep) {
    problem = fmt::format("the message is nested deeper than {} levels", max_json_depth);
    return nlohmann::json(nlohmann::json::value_t::discarded);
  }
  if (msg.is_discarded()) problem = "the message is not JSON";
  return msg;
}

// Messages the reader thread has framed, for the main thread. It also keeps
// what a running check needs to know to stop early: which documents have an
// edit waiting in the queue, and which requests a $/cancelRequest names.
class inbox {
 public:
  void push(incoming m) {
    {
      std::lock_guard lock(mutex_);
      if (auto uri = edited_uri(m.msg); !uri.empty()) ++pending_edits_[uri];
      if (auto id = cancelled_id(m.msg); !id.empty()) cancelled_.insert(id);
      items_.push_back(std::move(m));
    }
    ready_.notify_one();
  }
  // The next message, or nullopt when `deadline` passes first.
  std::optional<incoming> pop(std::optional<clock::time_point> deadline) {
    std::unique_lock lock(mutex_);
    auto has = [&] { return !items_.empty(); };
    if (deadline) {
      if (!ready_.wait_until(lock, *deadline, has)) return std::nullopt;
    } else {
      ready_.wait(lock, has);
    }
    auto m = std::move(items_.front());
    items_.pop_front();
    // The main thread applies an edit as soon as it pops it.
    if (auto uri = edited_uri(m.msg); !uri.empty())
      if (auto it = pending_edits_.find(uri); it != pending_edits_.end() && --it->second == 0) pending_edits_.erase(it);
    // Messages are handled in order: the request a $/cancelRequest names has
    // been answered by the time the cancellation itself is popped.
    if (auto id = cancelled_id(m.msg); !id.empty()) cancelled_.erase(id);
    return m;
  }
  [[nodiscard]] bool edit_pending(const std::string& uri) const {
    std::lock_guard lock(mutex_);
    return pending_edits_.count(uri) != 0;
  }
  [[nodiscard]] bool cancel_requested(const nlohmann::json& id) const {
    std::lock_guard lock(mutex_);
    return cancelled_.count(id.dump()) != 0;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<incoming> items_;
  std::map<std::string, int> pending_edits_;  // uri -> edits queued, not yet applied
  std::set<std::string> cancelled_;           // ids named by a queued $/cancelRequest
};

// What a check asks between statements: has its document been edited again,
// or has the request waiting on it been cancelled?
class superseded : public lang::cancel_token {
 public:
  superseded(const inbox& queue, std::string uri, const nlohmann::json* request)
      : queue_(queue), uri_(std::move(uri)), request_(request) {}
  [[nodiscard]] bool requested() const override {
    return queue_.edit_pending(uri_) || (request_ && queue_.cancel_requested(*request_));
  }

 private:
  const inbox& queue_;
  std::string uri_;
  const nlohmann::json* request_;
};

// A request whose document check was stopped: its reply is this error.
struct check_stopped {
  int code;
  std::string message;
};

struct open_document {
  std::string text;
  std::shared_ptr<document> analysis;
  std::optional<clock::time_point> check_at;  // a change waits for its debounce
};

class server {
 public:
  server(const registry& reg, std::ostream& out, const server_options& options, const inbox& queue)
      : env_(reg), ctx_{reg, env_, options.registry_root}, out_(out), options_(options), queue_(queue) {}

  // Handles one message; false when the server should stop (after `exit`).
  bool handle(const incoming& m) {
    const frame& f = m.f;
    if (f.s == frame::status::bad_header || f.s == frame::status::too_large) {
      reply_error(nullptr, f.s == frame::status::too_large ? invalid_request : parse_error, f.problem);
      return true;
    }
    const json& msg = m.msg;
    if (msg.is_discarded()) {
      reply_error(nullptr, parse_error, f.problem);
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
    if (queue_.cancel_requested(id)) {
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
      if (d.check_at && *d.check_at <= now) refresh(uri, d, nullptr);
  }

  [[nodiscard]] int exit_code() const { return shut_down_ ? 0 : 1; }

 private:
  check_environment env_;
  context ctx_;
  std::ostream& out_;
  server_options options_;
  std::map<std::string, open_document> docs_;
  const inbox& queue_;
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
  // The check stops early when an edit of the document is queued behind it
  // (its result would describe a text that no longer exists) or when
  // `request`, the request waiting on it, is cancelled; the document then
  // stays due for a check, and this returns false.
  bool refresh(const std::string& uri, open_document& d, const json* request) {
    superseded cancel(queue_, uri, request);
    auto previous = d.analysis;
    auto analysis = analyze(uri_to_path(uri), d.text, env_, previous.get(), {}, &cancel);
    if (analysis->cancelled) {
      d.check_at = clock::now();
      return false;
    }
    d.check_at.reset();
    d.analysis = std::move(analysis);
    d.analysis->uri = uri;
    notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", diagnostics_json(*d.analysis, uri)}});
    publish_imports(*d.analysis, 0);
    return true;
  }
  void publish_imports(const document& doc, std::size_t depth) {
    for (const auto& i : doc.imports) {
      if (!i.doc || docs_.count(i.doc->uri) || depth > 8) continue;  // an open file publishes its own
      notify("textDocument/publishDiagnostics",
             {{"uri", i.doc->uri}, {"diagnostics", diagnostics_json(*i.doc, i.doc->uri)}});
      publish_imports(*i.doc, depth + 1);
    }
  }

  // The document request `id` names, checked if an edit is waiting.
  const document& current(const json& params, const json& id) {
    auto uri = params.at("textDocument").at("uri").get<std::string>();
    auto it = docs_.find(uri);
    if (it == docs_.end()) throw request_error{"the document " + uri + " is not open"};
    if ((it->second.check_at || !it->second.analysis) && !refresh(uri, it->second, &id)) {
      if (queue_.cancel_requested(id)) throw check_stopped{request_cancelled, "cancelled while its document was being checked"};
      throw check_stopped{content_modified, "the document changed while it was checked: ask again"};
    }
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
        refresh(uri, d, nullptr);
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
      reply(id, it->second(current(params, id), ctx_, params));
    } catch (const check_stopped& e) {
      reply_error(id, e.code, e.message);
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
      incoming m{read_frame(in, limit), nlohmann::json(nlohmann::json::value_t::discarded)};
      bool end = m.f.s == frame::status::end;
      if (m.f.s == frame::status::message) {
        m.msg = parse_message(m.f.body, m.f.problem);
        m.f.body.clear();
        m.f.body.shrink_to_fit();
      }
      queue->push(std::move(m));
      if (end) break;
    }
  });
  server s(reg, out, options, *queue);
  int code = 1;
  bool input_ended = false;
  while (true) {
    auto m = queue->pop(s.next_check());
    if (!m) {
      s.run_due_checks();
      continue;
    }
    if (m->f.s == frame::status::end) {
      input_ended = true;
      break;
    }
    if (!s.handle(*m)) {
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
