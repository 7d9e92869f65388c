#pragma once
// The scenario language's grammar (PEGTL). Included by parse.cpp only: the
// templates are heavy, so no other file sees them.
//
// Expressions come in two flavours: inside brackets a newline is whitespace
// (expression<ws_any>); at statement level a newline ends the expression unless
// a binary operator ends the line (expression<ws_line>).
#include <tao/pegtl.hpp>

namespace ironlaw::lang::grammar {

namespace p = tao::pegtl;

// ---- lexical ----------------------------------------------------------------
struct comment : p::seq<p::one<'#'>, p::until<p::at<p::eolf>>> {};
struct ws_line : p::star<p::sor<p::blank, comment>> {};
struct ws_any : p::star<p::sor<p::space, comment>> {};

struct ident_other : p::ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
template <typename Word>
struct keyword_rule : p::seq<Word, p::not_at<ident_other>> {};

struct kw_in : keyword_rule<TAO_PEGTL_STRING("in")> {};
struct kw_and : keyword_rule<TAO_PEGTL_STRING("and")> {};
struct kw_or : keyword_rule<TAO_PEGTL_STRING("or")> {};
struct kw_not : keyword_rule<TAO_PEGTL_STRING("not")> {};
struct kw_true : keyword_rule<TAO_PEGTL_STRING("true")> {};
struct kw_false : keyword_rule<TAO_PEGTL_STRING("false")> {};
struct kw_let : keyword_rule<TAO_PEGTL_STRING("let")> {};
struct kw_print : keyword_rule<TAO_PEGTL_STRING("print")> {};
// Words that may follow a number on the same line and so can never be units.
struct kw_by : keyword_rule<TAO_PEGTL_STRING("by")> {};
struct kw_show : keyword_rule<TAO_PEGTL_STRING("show")> {};
struct kw_where : keyword_rule<TAO_PEGTL_STRING("where")> {};
struct kw_over : keyword_rule<TAO_PEGTL_STRING("over")> {};
struct kw_when : keyword_rule<TAO_PEGTL_STRING("when")> {};
struct kw_points : keyword_rule<TAO_PEGTL_STRING("points")> {};

struct keyword : p::sor<kw_in, kw_and, kw_or, kw_not, kw_true, kw_false, kw_let, kw_print, kw_by, kw_show,
                        kw_where, kw_over, kw_when, kw_points> {};
struct identifier : p::seq<p::not_at<keyword>, p::identifier> {};

// ---- numbers and units --------------------------------------------------------
struct digits : p::seq<p::digit, p::star<p::sor<p::digit, p::seq<p::one<'_'>, p::digit>>>> {};
struct fraction : p::seq<p::one<'.'>, digits> {};
struct exponent_digits : digits {};
struct exponent : p::seq<p::one<'e', 'E'>, p::opt<p::one<'+', '-'>>, p::must<exponent_digits>> {};
struct number_text : p::seq<digits, p::opt<fraction>, p::opt<exponent>> {};

struct micro_sign : p::utf8::one<0xB5> {};
struct unit_first : p::sor<p::alpha, p::one<'%', '$'>, micro_sign> {};
struct unit_char : p::sor<p::alnum, p::one<'_'>, micro_sign> {};
struct unit_power : p::seq<p::one<'^'>, p::opt<p::one<'-'>>, p::plus<p::digit>> {};
struct unit_atom : p::seq<p::not_at<keyword>, unit_first, p::star<unit_char>, p::opt<unit_power>> {};
// Units are written without spaces: `TB/s`, `g/kWh`, `USD/yr`.
struct unit_text : p::seq<unit_atom, p::star<p::one<'/', '*'>, unit_atom>> {};
struct number_unit : unit_text {};
struct number : p::seq<number_text, p::opt<p::star<p::blank>, number_unit>> {};

// ---- strings --------------------------------------------------------------------
struct escaped_char : p::one<'"', '\\', 'n', 't', '{', '}'> {};
struct escape : p::seq<p::one<'\\'>, p::must<escaped_char>> {};
struct string_char : p::sor<escape, p::not_one<'"', '\\', '\n', '\r'>> {};
struct string_close : p::one<'"'> {};
struct string_literal : p::if_must<p::one<'"'>, p::star<string_char>, string_close> {};

// ---- expressions ------------------------------------------------------------------
template <typename S> struct expression;
struct inner_expression;  // expression<ws_any>, defined below

struct bool_true : kw_true {};
struct bool_false : kw_false {};
struct name_primary : identifier {};

struct paren_close : p::one<')'> {};
struct paren_expr : p::if_must<p::one<'('>, ws_any, inner_expression, ws_any, paren_close> {};

struct list_open : p::one<'['> {};
struct list_close : p::one<']'> {};
struct list_item : p::seq<inner_expression> {};
struct list_literal
    : p::if_must<list_open, ws_any, p::opt<p::list_tail<list_item, p::one<','>, p::sor<p::space, comment>>>, ws_any,
                 list_close> {};

struct primary : p::sor<number, string_literal, bool_true, bool_false, list_literal, paren_expr, name_primary> {};

// Postfix: calls and field access.
struct arg_name : p::seq<identifier, ws_any, p::one<'='>, p::not_at<p::one<'='>>> {};
struct named_value : p::seq<inner_expression> {};
struct named_arg : p::seq<arg_name, ws_any, p::must<named_value>> {};
struct positional_arg : p::seq<inner_expression> {};
struct call_argument : p::sor<named_arg, positional_arg> {};
struct call_open : p::one<'('> {};
struct call_close : p::one<')'> {};
struct call_suffix
    : p::if_must<call_open, ws_any, p::opt<p::list_tail<call_argument, p::one<','>, p::sor<p::space, comment>>>, ws_any,
                 call_close> {};
struct field_name : identifier {};
template <typename S>
struct field_suffix : p::seq<S, p::one<'.'>, p::not_at<p::one<'.'>>, p::must<field_name>> {};
template <typename S>
struct postfix : p::seq<primary, p::star<p::sor<call_suffix, field_suffix<S>>>> {};

template <typename S> struct unary;
template <typename S>
struct power_operand : unary<S> {};
template <typename S>
struct power_tail : p::seq<S, p::one<'^'>, ws_any, p::must<power_operand<S>>> {};
template <typename S>
struct power : p::seq<postfix<S>, p::opt<power_tail<S>>> {};

struct op_negate : p::one<'-'> {};
struct op_plus : p::one<'+'> {};
template <typename S>
struct signed_operand : p::seq<p::sor<op_negate, op_plus>, ws_any, p::must<unary<S>>> {};
template <typename S>
struct unary : p::sor<signed_operand<S>, power<S>> {};

struct op_multiply : p::one<'*'> {};
struct op_divide : p::one<'/'> {};
template <typename S>
struct multiplicative_operand : unary<S> {};
template <typename S>
struct multiplicative_tail : p::seq<S, p::sor<op_multiply, op_divide>, ws_any, p::must<multiplicative_operand<S>>> {};
template <typename S>
struct multiplicative : p::seq<unary<S>, p::star<multiplicative_tail<S>>> {};

struct op_add : p::one<'+'> {};
struct op_subtract : p::seq<p::one<'-'>, p::not_at<p::one<'>'>>> {};
template <typename S>
struct additive_operand : multiplicative<S> {};
template <typename S>
struct additive_tail : p::seq<S, p::sor<op_add, op_subtract>, ws_any, p::must<additive_operand<S>>> {};
template <typename S>
struct additive : p::seq<multiplicative<S>, p::star<additive_tail<S>>> {};

struct op_equal : p::string<'=', '='> {};
struct op_not_equal : p::string<'!', '='> {};
struct op_less_equal : p::string<'<', '='> {};
struct op_greater_equal : p::string<'>', '='> {};
struct op_less : p::one<'<'> {};
struct op_greater : p::one<'>'> {};
struct op_approx : p::one<'~'> {};
struct comparison_op
    : p::sor<op_equal, op_not_equal, op_less_equal, op_greater_equal, op_less, op_greater, op_approx> {};
template <typename S>
struct comparison_operand : additive<S> {};
template <typename S>
struct comparison_tail : p::seq<S, comparison_op, ws_any, p::must<comparison_operand<S>>> {};
template <typename S>
struct comparison : p::seq<additive<S>, p::opt<comparison_tail<S>>> {};

struct op_not : kw_not {};
template <typename S> struct negation;
template <typename S>
struct negated_operand : p::seq<op_not, ws_any, p::must<negation<S>>> {};
template <typename S>
struct negation : p::sor<negated_operand<S>, comparison<S>> {};

struct op_and : kw_and {};
template <typename S>
struct conjunction_operand : negation<S> {};
template <typename S>
struct conjunction_tail : p::seq<S, op_and, ws_any, p::must<conjunction_operand<S>>> {};
template <typename S>
struct conjunction : p::seq<negation<S>, p::star<conjunction_tail<S>>> {};

struct op_or : kw_or {};
template <typename S>
struct disjunction_operand : conjunction<S> {};
template <typename S>
struct disjunction_tail : p::seq<S, op_or, ws_any, p::must<disjunction_operand<S>>> {};
template <typename S>
struct disjunction : p::seq<conjunction<S>, p::star<disjunction_tail<S>>> {};

struct target_unit : unit_text {};
template <typename S>
struct conversion_tail : p::seq<S, kw_in, p::star<p::blank>, p::must<target_unit>> {};
template <typename S>
struct expression : p::seq<disjunction<S>, p::opt<conversion_tail<S>>> {};

struct inner_expression : expression<ws_any> {};

// ---- statements ---------------------------------------------------------------------
struct line_expression : expression<ws_line> {};
struct let_name : identifier {};
struct let_equals : p::one<'='> {};
struct let_stmt : p::if_must<kw_let, ws_line, let_name, ws_line, let_equals, ws_any, line_expression> {};
struct print_value : line_expression {};
struct print_stmt
    : p::if_must<kw_print, ws_line, print_value, p::star<ws_line, p::one<','>, ws_any, p::must<print_value>>> {};
struct expr_stmt : line_expression {};
struct statement_end : p::sor<p::one<';'>, p::eol, p::eof> {};
struct statement : p::seq<p::sor<let_stmt, print_stmt, expr_stmt>, ws_line, p::must<statement_end>> {};

// One statement (and the blank lines and comments before it), or the end.
struct next_statement : p::seq<ws_any, p::sor<p::eof, p::must<statement>>> {};
// A whole input that must be exactly one expression (`ironlaw eval`).
struct whole_expression_end : p::eof {};
struct whole_expression : p::seq<ws_any, inner_expression, ws_any, p::must<whole_expression_end>> {};

}  // namespace ironlaw::lang::grammar
