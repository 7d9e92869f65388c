#include "import_model_json.hpp"
#include "ironlaw/lang/text_formats.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>

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

// Recursive descent over RFC 8259. Nesting is capped so a hostile file cannot
// exhaust the stack.
class parser {
 public:
  parser(const lang::source_ptr& source, lang::diagnostics& diags)
      : source_(source), text_(source->text()), diags_(diags) {}

  std::optional<value> document() {
    skip_space();
    auto v = parse_value(0);
    if (!v) return std::nullopt;
    skip_space();
    if (pos_ < text_.size()) return fail("unexpected text after the JSON value", "a config.json holds one object");
    return v;
  }

 private:
  static constexpr int max_depth = 64;

  std::nullopt_t fail(std::string message, std::string help = {}) {
    lang::diagnostic d;
    d.code = "E0801";
    d.source = source_;
    auto at = static_cast<std::uint32_t>(pos_);
    d.primary = {at, pos_ < text_.size() ? at + 1 : at};
    d.message = std::move(message);
    d.help = std::move(help);
    diags_.add(std::move(d));
    return std::nullopt;
  }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }

  bool literal(std::string_view word) {
    if (text_.compare(pos_, word.size(), word) != 0) return false;
    pos_ += word.size();
    return true;
  }

  std::optional<value> parse_value(int depth) {
    if (depth > max_depth) return fail(fmt::format("nested deeper than {} levels", max_depth));
    if (pos_ >= text_.size()) return fail("the input ends where a value was expected");
    value v;
    auto begin = pos_;
    char c = text_[pos_];
    if (c == '{') {
      if (!parse_object(v, depth)) return std::nullopt;
    } else if (c == '[') {
      if (!parse_array(v, depth)) return std::nullopt;
    } else if (c == '"') {
      v.t = value::type::string;
      if (!parse_string(v.text)) return std::nullopt;
    } else if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      if (!parse_number(v)) return std::nullopt;
    } else if (literal("true")) {
      v.t = value::type::boolean;
      v.flag = true;
    } else if (literal("false")) {
      v.t = value::type::boolean;
    } else if (literal("null")) {
      v.t = value::type::null;
    } else {
      return fail(fmt::format("expected a JSON value, found '{}'", c),
                  c == '\'' ? "JSON strings use double quotes" : "");
    }
    v.where = {static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(pos_)};
    return v;
  }

  bool parse_object(value& v, int depth) {
    v.t = value::type::object;
    ++pos_;  // {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return true;
    }
    for (;;) {
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != '"') {
        bool trailing = pos_ < text_.size() && text_[pos_] == '}';
        fail(trailing ? "a comma before '}'" : "expected a key in double quotes",
             trailing ? "JSON allows no trailing comma" : "");
        return false;
      }
      std::string key;
      if (!parse_string(key)) return false;
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != ':') {
        fail(fmt::format("expected ':' after the key \"{}\"", key));
        return false;
      }
      ++pos_;
      skip_space();
      auto parsed = parse_value(depth + 1);
      if (!parsed) return false;
      v.members.push_back(member{std::move(key), std::move(*parsed)});
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return true;
      }
      fail("expected ',' or '}' after an object member");
      return false;
    }
  }

  bool parse_array(value& v, int depth) {
    v.t = value::type::array;
    ++pos_;  // [
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      skip_space();
      auto item = parse_value(depth + 1);
      if (!item) return false;
      v.items.push_back(std::move(*item));
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return true;
      }
      fail("expected ',' or ']' after an array item");
      return false;
    }
  }

  static void append_utf8(std::string& out, unsigned code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  std::optional<unsigned> hex4() {
    if (pos_ + 4 > text_.size()) return std::nullopt;
    unsigned code = 0;
    for (int i = 0; i < 4; ++i) {
      char h = text_[pos_++];
      if (!std::isxdigit(static_cast<unsigned char>(h))) return std::nullopt;
      code = code * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (std::tolower(h) - 'a' + 10));
    }
    return code;
  }

  bool parse_string(std::string& out) {
    ++pos_;  // "
    for (;;) {
      if (pos_ >= text_.size()) {
        fail("unterminated string");
        return false;
      }
      char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        fail("a control character inside a string", "write it as an escape (\\n, \\t, \\u0000)");
        return false;
      }
      if (c != '\\') {
        out += c;
        ++pos_;
        continue;
      }
      ++pos_;
      if (pos_ >= text_.size()) {
        fail("unterminated string");
        return false;
      }
      char e = text_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          auto code = hex4();
          if (!code) {
            fail("\\u takes four hex digits");
            return false;
          }
          // A surrogate pair encodes one code point above U+FFFF.
          if (*code >= 0xD800 && *code < 0xDC00 && text_.compare(pos_, 2, "\\u") == 0) {
            pos_ += 2;
            auto low = hex4();
            if (!low || *low < 0xDC00 || *low >= 0xE000) {
              fail("a high surrogate must be followed by a low one");
              return false;
            }
            *code = 0x10000 + ((*code - 0xD800) << 10) + (*low - 0xDC00);
          }
          append_utf8(out, *code);
          break;
        }
        default:
          --pos_;
          fail(fmt::format("unknown escape '\\{}'", e));
          return false;
      }
    }
  }

  bool parse_number(value& v) {
    v.t = value::type::number;
    auto begin = pos_;
    auto digits = [&] {
      auto start = pos_;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      return pos_ > start;
    };
    if (text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      fail("expected a digit");
      return false;
    }
    v.integer = true;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      v.integer = false;
      if (!digits()) {
        fail("expected a digit after the decimal point");
        return false;
      }
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      v.integer = false;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) {
        fail("expected a digit in the exponent");
        return false;
      }
    }
    std::string number(text_.substr(begin, pos_ - begin));
    v.number = std::strtod(number.c_str(), nullptr);
    return true;
  }

  lang::source_ptr source_;
  std::string_view text_;
  lang::diagnostics& diags_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<value> parse(const lang::source_ptr& source, lang::diagnostics& diags) {
  return parser(source, diags).document();
}

}  // namespace ironlaw::runtime::json
