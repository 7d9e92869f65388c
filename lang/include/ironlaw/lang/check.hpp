#pragma once
// The static front end: names resolved and every expression typed (its kind
// and, for quantities, its dimension) without evaluating anything. The
// checker sees solvers, entity schemas, registry entries and units only
// through `environment`, which the runtime fills from its own tables (as
// cel-cpp's checker sees declarations). Every branch of `choose`, every design
// axis, requirement and objective is checked; values (a batch of 0, a context
// beyond a model's maximum) are the evaluator's to judge.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ironlaw/lang/ast.hpp"
#include "ironlaw/lang/diagnostic.hpp"
#include "ironlaw/lang/dim.hpp"

namespace ironlaw::lang {

struct type;
using type_ptr = std::shared_ptr<const type>;

struct field_type {
  std::string name;
  type_ptr t;
};

// A result field a solver no longer returns, and what to read instead: the
// checker and the evaluator report it as E0230 rather than "no field".
struct retired_field {
  std::string name;
  std::string message;  // why it went
  std::string help;     // what to read instead
};

struct type {
  enum class tag { unknown, quantity, boolean, text, word, record, list, function };
  tag t = tag::unknown;
  dim d;                   // quantity
  bool dim_known = true;   // quantity: false when the exponent is not a literal (x ^ n)
  std::string word;        // word: the word as written
  std::string kind;        // record: "hardware", "decode" (a result), "record", "design"
  std::string name;        // record: an entity's or a design's name; function: its name
  std::vector<field_type> fields;  // record
  bool open = false;       // record: may hold fields not listed (a registry kind's optional ones)
  std::vector<retired_field> retired;  // record: fields it no longer has
  type_ptr element;        // list: the items' type (unknown when they differ)
  bool mixed = false;      // list: items of different types

  static type_ptr unknown();
  static type_ptr quantity(dim d);
  static type_ptr number() { return quantity({}); }
  static type_ptr boolean();
  static type_ptr text();
  static type_ptr of_word(std::string w);
  static type_ptr list_of(type_ptr element, bool mixed = false);
  [[nodiscard]] const field_type* find(std::string_view field) const;
};

// "a quantity of time", "the hardware H100_SXM", "a decode result", "a list of data".
std::string describe(const type& t);
// Same kind of value (and dimension for quantities); unknown matches anything.
bool compatible(const type& a, const type& b);

// What a solver takes, as the checker needs it.
struct parameter_signature {
  enum class kind { entity, count, fraction, quantity, word, value };  // value: the solver reads it itself
  std::string name;
  kind k = kind::count;
  std::string entity_kind;         // entity
  dim d;                           // quantity
  std::vector<std::string> words;  // word
  bool required = false;
};

struct function_signature {
  std::string name;
  std::vector<parameter_signature> params;
  std::vector<field_type> results;  // the fields of the record it returns
  std::vector<retired_field> retired;  // result fields it no longer returns
};

// A math builtin (min, ceil, sqrt, ...) as the checker needs it; the rules
// themselves are the runtime's (environment::math_result).
struct math_signature {
  std::string name;
  std::string usage;         // "ceil(x) or ceil(x in UNIT)"
  bool over_values = false;  // several values or one list (min, max, sum, mean)
};

// The dimension of a math call's result, or the rule it breaks: `culprit`
// indexes the value that breaks it.
struct math_check {
  std::optional<dim> d;
  std::string message, help;
  std::size_t culprit = 0;
};

// A unit as written: its dimension, or where it fails.
struct unit_check {
  std::optional<dim> d;
  std::string message, help;
  std::size_t offset = 0, length = 1;  // of the bad part, within the text
};

// Everything the checker knows that is not syntax.
class environment {
 public:
  virtual ~environment() = default;
  virtual unit_check unit(std::string_view text) const = 0;
  // A registry entity by name (its kind and typed fields), or null.
  virtual type_ptr entity(std::string_view name) const = 0;
  virtual const function_signature* function(std::string_view name) const = 0;
  virtual std::vector<std::string> function_names() const = 0;  // solvers and math functions
  virtual const math_signature* math_function(std::string_view name) const = 0;
  // `values`: the dimensions of the arguments (a list's items); `unit_given`:
  // the argument of a rounding function is written `x in UNIT`.
  virtual math_check math_result(std::string_view name, const std::vector<dim>& values, bool unit_given) const = 0;
  // The typed fields every entity of a kind may have (its schema), or null for an unknown kind.
  virtual type_ptr entity_kind(std::string_view kind) const = 0;
  // The entity kind a `zoo` word lists (`models` -> model), or empty.
  virtual std::string_view zoo_kind(std::string_view word) const = 0;
  // Whether a bare word is an enum value some solver accepts or returns (fp16, memory, ring).
  virtual bool known_word(std::string_view word) const = 0;
  virtual std::vector<std::string> entity_names() const = 0;  // for did-you-mean
};

// Lets a caller stop a long check from another thread (the language server,
// when the text it checks has been edited again). Asked between statements.
class cancel_token {
 public:
  virtual ~cancel_token() = default;
  [[nodiscard]] virtual bool requested() const = 0;
};

// The checked program: each expression's type and each name's meaning.
struct typed_program {
  // The check stopped early at a cancel_token's request: the types and
  // diagnostics cover only the statements before that point.
  bool cancelled = false;
  std::unordered_map<const expr*, type_ptr> types;
  std::unordered_map<const expr*, std::string> resolutions;  // name_ref -> "let-bound", "registry hardware", ...
  // The names the program binds at top level (lets, declarations, designs,
  // predefined names) with their types, as they stand at its end (the editor's
  // hover and completion read them).
  std::map<std::string, type_ptr, std::less<>> globals;
  [[nodiscard]] type_ptr type_of(const expr& e) const {
    auto it = types.find(&e);
    return it == types.end() ? nullptr : it->second;
  }
};

// Checks a whole program. Diagnostics go to `diags`; the result holds the
// types of every expression the checker reached (all of them when it is clean).
// `predefined`: names bound before the program (a REPL session's, an
// assignment's parameters), with their types. `cancel`, when given, is asked
// between statements.
typed_program check(const program& p, const environment& env, diagnostics& diags,
                    const std::vector<field_type>& predefined = {}, const cancel_token* cancel = nullptr);

}  // namespace ironlaw::lang
