#include "import_model_json.hpp"
#include "ironlaw/lang/text_formats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace ironlaw::runtime::json {

const value* value::find(std::string_view key) const {
  const value* found = nullptr;
  for (const auto& [k, v] : members)
    if (k == key) found = &v;
  return found;
}

std::string describe(value::type t) {
  switch (t) {
    case value::type::null: return "null";
    case value::type::boolean: return "true or false";
    case value::type::number: return "a number";
    case value::type::string: return "a string";
    case value::type::array: return "an array";
    case value::type::object: return "an object";
  }
  return "a value";
}

std::string quote(std::string_view s) { return lang::json_string(s); }

namespace {

constexpr std::size_t max_depth = 64;  // a deeper tree is refused: destroying it recursively could exhaust the stack

// nlohmann-json parses (RFC 8259, escapes, UTF-8, numbers) and reports each
// value through its SAX interface; this handler builds the tree and finds each
// value's span in the text. Between two tokens there is only white space and
// at most one ',' or ':', so the next token starts after them, and its end
// follows from its first character.
class tree_builder {
 public:
  using json = nlohmann::json;

  tree_builder(const lang::source_ptr& source, lang::diagnostics& diags)
      : source_(source), text_(source->text()), diags_(diags) {}

  std::optional<value> result() { return failed_ || !root_ ? std::nullopt : std::move(root_); }

  bool null() { return leaf(value{}); }
  bool boolean(bool b) {
    value v;
    v.t = value::type::boolean;
    v.flag = b;
    return leaf(std::move(v));
  }
  bool number_integer(json::number_integer_t n) { return number(static_cast<double>(n)); }
  bool number_unsigned(json::number_unsigned_t n) { return number(static_cast<double>(n)); }
  bool number_float(json::number_float_t n, const json::string_t&) { return number(n); }
  bool string(json::string_t& text) {
    value v;
    v.t = value::type::string;
    v.text = std::move(text);
    return leaf(std::move(v));
  }
  bool binary(json::binary_t&) { return false; }  // not produced by JSON text
  bool key(json::string_t& k) {
    token_end(next_token());
    keys_.push_back(std::move(k));
    return true;
  }
  bool start_object(std::size_t) { return open(value::type::object); }
  bool start_array(std::size_t) { return open(value::type::array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    // `position` counts the bytes read, the offending one last.
    auto at = static_cast<std::uint32_t>(std::min(position > 0 ? position - 1 : 0, text_.size()));
    char c = at < text_.size() ? text_[at] : '\0';
    auto before = at;
    while (before > 0 && std::isspace(static_cast<unsigned char>(text_[before - 1]))) --before;
    if ((c == '}' || c == ']') && before > 0 && text_[before - 1] == ',')
      fail(at, fmt::format("a comma before '{}'", c), "JSON allows no trailing comma");
    else
      fail(at, problem(e), c == '\'' ? "JSON strings use double quotes" : "");
    return false;
  }

 private:
  // nlohmann's "syntax error while parsing CONTEXT - DETAIL; last read: '...';
  // expected WHAT" in the words of our other diagnostics.
  static std::string problem(const nlohmann::detail::exception& e) {
    if (e.id == 406) return "a number beyond the range of a double (about 1.8e308)";
    std::string_view what = e.what();
    auto part = [&](std::string_view lead, std::string_view stop) {
      auto from = what.find(lead);
      if (from == std::string_view::npos) return std::string_view();
      auto rest = what.substr(from + lead.size());
      return rest.substr(0, rest.find(stop));
    };
    auto context = part("while parsing ", " - ");
    auto detail = part(" - ", ";");
    auto expected = part("; expected ", "; ");
    if (detail.starts_with("unexpected end of input"))
      return context == "value" ? "the input ends where a value was expected"
             : context == "array" ? "the input ends inside an array"
                                  : "the input ends inside an object";
    if (detail == "invalid string: missing closing quote") return "unterminated string";
    if (detail == "invalid literal")
      return context == "object key" ? "expected a key in double quotes"
                                     : "expected a JSON value (an object, an array, a string, a number, true, false or null)";
    if (detail.starts_with("invalid")) return fmt::format("{}{}{}", detail, expected.empty() ? "" : ": expected ", expected);
    if (expected == "end of input") return "unexpected text after the JSON value";
    if (context == "object") return "expected ',' or '}' after an object member";
    if (context == "array") return "expected ',' or ']' after an array item";
    if (context == "object separator") return "expected ':' after the key";
    return std::string(detail.empty() ? what : detail);
  }

  lang::source_ptr source_;
  std::string_view text_;
  lang::diagnostics& diags_;
  std::size_t cursor_ = 0;          // just past the last token
  std::vector<value> open_;         // objects and arrays being filled, outermost first
  std::vector<std::string> keys_;   // the key each object member waits for its value under
  std::optional<value> root_;
  bool failed_ = false;

  void fail(std::uint32_t at, std::string message, std::string help = {}) {
    lang::diagnostic d;
    d.code = "E0801";
    d.source = source_;
    d.primary = {at, at < text_.size() ? at + 1 : at};
    d.message = std::move(message);
    d.help = std::move(help);
    diags_.add(std::move(d));
    failed_ = true;
  }

  std::size_t next_token() {
    auto skip = [&] {
      while (cursor_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[cursor_]))) ++cursor_;
    };
    skip();
    if (cursor_ < text_.size() && (text_[cursor_] == ',' || text_[cursor_] == ':')) ++cursor_;
    skip();
    return cursor_;
  }
  // Moves the cursor past the token that starts at `begin`.
  void token_end(std::size_t begin) {
    std::size_t end = begin;
    char c = begin < text_.size() ? text_[begin] : '\0';
    if (c == '"') {
      for (end = begin + 1; end < text_.size() && text_[end] != '"'; ++end)
        if (text_[end] == '\\') ++end;
      ++end;
    } else if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      while (end < text_.size() && (std::isdigit(static_cast<unsigned char>(text_[end])) ||
                                    std::string_view("+-.eE").find(text_[end]) != std::string_view::npos))
        ++end;
    } else if (c == 't' || c == 'n') {
      end = begin + 4;
    } else if (c == 'f') {
      end = begin + 5;
    } else {
      end = begin + 1;  // { } [ ]
    }
    cursor_ = std::min(end, text_.size());
  }

  bool number(double n) {
    value v;
    v.t = value::type::number;
    v.number = n;
    auto begin = next_token();
    token_end(begin);
    auto written = text_.substr(begin, cursor_ - begin);
    v.integer = written.find_first_of(".eE") == std::string_view::npos;
    v.where = {static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(cursor_)};
    return attach(std::move(v));
  }
  bool leaf(value v) {
    auto begin = next_token();
    token_end(begin);
    v.where = {static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(cursor_)};
    return attach(std::move(v));
  }
  bool open(value::type t) {
    auto begin = next_token();
    if (open_.size() >= max_depth) {
      fail(static_cast<std::uint32_t>(begin), fmt::format("nested deeper than {} levels", max_depth));
      return false;
    }
    token_end(begin);
    value v;
    v.t = t;
    v.where.begin = static_cast<std::uint32_t>(begin);
    open_.push_back(std::move(v));
    return true;
  }
  bool close() {
    token_end(next_token());
    auto v = std::move(open_.back());
    open_.pop_back();
    v.where.end = static_cast<std::uint32_t>(cursor_);
    return attach(std::move(v));
  }
  bool attach(value v) {
    if (open_.empty()) {
      root_ = std::move(v);
    } else if (open_.back().t == value::type::array) {
      open_.back().items.push_back(std::move(v));
    } else {
      open_.back().members.push_back(member{std::move(keys_.back()), std::move(v)});
      keys_.pop_back();
    }
    return true;
  }
};

}  // namespace

std::optional<value> parse(const lang::source_ptr& source, lang::diagnostics& diags) {
  tree_builder builder(source, diags);
  const auto& text = source->text();
  nlohmann::json::sax_parse(text.begin(), text.end(), &builder);
  return builder.result();
}

}  // namespace ironlaw::runtime::json
