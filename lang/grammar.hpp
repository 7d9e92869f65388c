#pragma once
// The scenario language's grammar (PEGTL). Included by parse.cpp only: the
// templates are heavy, so no other file sees them. docs/language.md has the
// grammar summary; keep the two in step.
//
// Expressions come in two flavours: inside brackets a newline is whitespace
// (expression<ws_any>); at statement level and in blocks a newline ends the
// expression unless a binary operator ends the line (expression<ws_line>).
#include <tao/pegtl.hpp>

namespace ironlaw::lang::grammar {

namespace p = tao::pegtl;

// ---- lexical ----------------------------------------------------------------
struct comment : p::seq<p::one<'#'>, p::until<p::at<p::eolf>>> {};
struct ws_line : p::star<p::sor<p::blank, comment>> {};
struct ws_any : p::star<p::sor<p::space, comment>> {};
struct gap : p::plus<p::blank> {};  // at least one space between words

struct ident_other : p::ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
template <typename Word>
struct keyword_rule : p::seq<Word, p::not_at<ident_other>> {};
#define IRONLAW_KEYWORD(NAME) struct kw_##NAME : keyword_rule<TAO_PEGTL_STRING(#NAME)> {}
IRONLAW_KEYWORD(in);
IRONLAW_KEYWORD(and);
IRONLAW_KEYWORD(or);
IRONLAW_KEYWORD(not);
IRONLAW_KEYWORD(true);
IRONLAW_KEYWORD(false);
IRONLAW_KEYWORD(let);
IRONLAW_KEYWORD(print);
IRONLAW_KEYWORD(by);
IRONLAW_KEYWORD(show);
IRONLAW_KEYWORD(where);
IRONLAW_KEYWORD(over);
IRONLAW_KEYWORD(when);
IRONLAW_KEYWORD(points);
IRONLAW_KEYWORD(top);
IRONLAW_KEYWORD(scenario);
IRONLAW_KEYWORD(import);
IRONLAW_KEYWORD(extends);
IRONLAW_KEYWORD(design);
IRONLAW_KEYWORD(require);
IRONLAW_KEYWORD(minimize);
IRONLAW_KEYWORD(maximize);
IRONLAW_KEYWORD(report);
IRONLAW_KEYWORD(assignment);
IRONLAW_KEYWORD(param);
IRONLAW_KEYWORD(question);
IRONLAW_KEYWORD(feedback);
IRONLAW_KEYWORD(answers);
IRONLAW_KEYWORD(zoo);
IRONLAW_KEYWORD(measured);
IRONLAW_KEYWORD(per);  // inside a unit only: `10 req per min`; still a name elsewhere
#undef IRONLAW_KEYWORD

// Reserved words: never names, never units.
struct keyword
    : p::sor<kw_in, kw_and, kw_or, kw_not, kw_true, kw_false, kw_let, kw_print, kw_by, kw_show, kw_where, kw_over,
             kw_when, kw_points, kw_top, kw_scenario, kw_import, kw_extends, kw_design, kw_require, kw_minimize,
             kw_maximize, kw_report, kw_assignment, kw_param, kw_question, kw_feedback, kw_answers, kw_zoo, kw_measured> {};
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
struct unit_atom : p::seq<p::not_at<keyword>, p::not_at<kw_per>, unit_first, p::star<unit_char>, p::opt<unit_power>> {};
// Units are written without spaces: `TB/s`, `g/kWh`, `USD/yr`; ` per ` is a
// spelled-out slash between two of their parts: `req per min` = `req/min`.
struct unit_per : p::seq<p::plus<p::blank>, kw_per, p::plus<p::blank>> {};
struct unit_text
    : p::seq<unit_atom, p::star<p::sor<p::seq<p::one<'/', '*'>, unit_atom>, p::seq<unit_per, unit_atom>>>> {};
// `10 per s`: a rate of a plain number.
struct number_unit : p::sor<p::seq<kw_per, p::plus<p::blank>, unit_text>, unit_text> {};
struct number : p::seq<number_text, p::opt<p::star<p::blank>, number_unit>> {};

// ---- strings ------------------------------------------------------------------------
template <typename S> struct expression;
struct inner_expression;  // expression<ws_any>, defined below

struct escaped_char : p::one<'"', '\\', 'n', 't', '{', '}'> {};
struct escape : p::seq<p::one<'\\'>, p::must<escaped_char>> {};
struct string_text : p::plus<p::sor<escape, p::not_one<'"', '\\', '\n', '\r', '{', '}'>>> {};
struct interpolation_close : p::one<'}'> {};
struct interpolation : p::if_must<p::one<'{'>, ws_any, inner_expression, ws_any, interpolation_close> {};
struct string_close : p::one<'"'> {};
struct string_open : p::one<'"'> {};
struct string_literal : p::if_must<string_open, p::star<p::sor<string_text, interpolation>>, string_close> {};

// ---- expressions ------------------------------------------------------------------
struct bool_true : kw_true {};
struct bool_false : kw_false {};
struct name_primary : identifier {};

struct paren_open : p::one<'('> {};
struct paren_close : p::one<')'> {};
struct paren_expr : p::if_must<paren_open, ws_any, inner_expression, ws_any, paren_close> {};

struct list_open : p::one<'['> {};
struct list_close : p::one<']'> {};
struct list_item : p::seq<inner_expression> {};
struct list_literal
    : p::if_must<list_open, ws_any, p::opt<p::list_tail<list_item, p::one<','>, p::sor<p::space, comment>>>, ws_any,
                 list_close> {};

// Blocks: items separated by commas or newlines.
struct item_separator : p::sor<p::seq<ws_line, p::one<','>, ws_any>, p::seq<ws_line, p::eol, ws_any>> {};
struct field_name_decl : identifier {};
struct field_equals : p::one<'='> {};
struct field_value : p::seq<expression<ws_line>> {};
struct field_init : p::seq<field_name_decl, ws_line, p::one<'='>, p::not_at<p::one<'='>>, ws_any, p::must<field_value>> {};

struct record_open : p::one<'{'> {};
struct record_close : p::one<'}'> {};
struct record_literal
    : p::if_must<record_open, ws_any, p::opt<field_init, p::star<item_separator, field_init>>, p::opt<item_separator>,
                 ws_any, record_close> {};

struct zoo_kind : identifier {};
struct zoo_filter : p::seq<expression<ws_line>> {};
struct zoo_query : p::if_must<kw_zoo, ws_line, zoo_kind, p::opt<ws_line, kw_where, ws_any, p::must<zoo_filter>>> {};

struct primary
    : p::sor<number, string_literal, bool_true, bool_false, list_literal, paren_expr, record_literal, zoo_query,
             name_primary> {};

// Postfix: calls, field access, and a unit applied to a bracketed value.
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
struct applied_unit : unit_text {};
// True when the text just matched ends with ')' or ']': `[8, 16] GB` and
// `choose([...]) tokens` take a unit; a bare name never does (`a b` is an error).
struct after_bracket {
  using rule_t = after_bracket;
  using subs_t = p::empty_list;
  template <typename Input>
  static bool match(Input& in) {
    const char* c = in.current();
    return c != nullptr && (c[-1] == ')' || c[-1] == ']');
  }
};
struct unit_suffix : p::seq<after_bracket, p::plus<p::blank>, applied_unit> {};
template <typename S>
struct postfix : p::seq<primary, p::star<p::sor<call_suffix, field_suffix<S>>>, p::opt<unit_suffix>> {};

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
struct op_subtract : p::one<'-'> {};
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

// `1 .. 256 by *2`, `0 % .. 100 % by 25 %`
struct range_dots : p::string<'.', '.'> {};
struct geometric_step : p::one<'*'> {};
template <typename S>
struct range_end : disjunction<S> {};
template <typename S>
struct range_step : disjunction<S> {};
template <typename S>
struct range_by : p::seq<S, kw_by, ws_line, p::opt<geometric_step, ws_line>, p::must<range_step<S>>> {};
template <typename S>
struct range_tail : p::seq<S, range_dots, ws_any, p::must<range_end<S>>, p::opt<range_by<S>>> {};
template <typename S>
struct ranged : p::seq<disjunction<S>, p::opt<range_tail<S>>> {};

// `x in 1/s`: a rate with no unit above the slash.
struct target_unit : p::sor<p::seq<p::one<'1'>, p::one<'/'>, unit_text>, unit_text> {};
template <typename S>
struct conversion_tail : p::seq<S, kw_in, p::star<p::blank>, p::must<target_unit>> {};
template <typename S>
struct expression : p::seq<ranged<S>, p::opt<conversion_tail<S>>> {};

struct inner_expression : expression<ws_any> {};
struct line_expression : expression<ws_line> {};

// ---- statements ---------------------------------------------------------------------
struct let_name : identifier {};
struct let_equals : p::one<'='> {};
struct let_stmt : p::if_must<kw_let, ws_line, let_name, ws_line, let_equals, ws_any, line_expression> {};

struct print_value : line_expression {};
struct print_stmt
    : p::if_must<kw_print, ws_line, print_value, p::star<ws_line, p::one<','>, ws_any, p::must<print_value>>> {};

struct title_string : p::seq<string_literal> {};
struct scenario_stmt : p::if_must<kw_scenario, ws_line, title_string> {};
struct import_path : p::seq<string_literal> {};
struct import_stmt : p::if_must<kw_import, ws_line, import_path> {};

// Entity declarations. The kind words are not reserved (`fleet.itl`, `model =`),
// so the statement commits only once its header is recognised.
struct decl_kind : p::sor<TAO_PEGTL_KEYWORD("hardware"), TAO_PEGTL_KEYWORD("model"), TAO_PEGTL_KEYWORD("node"),
                          TAO_PEGTL_KEYWORD("fleet"), TAO_PEGTL_KEYWORD("fabric"), TAO_PEGTL_KEYWORD("region"),
                          TAO_PEGTL_KEYWORD("workload"), TAO_PEGTL_KEYWORD("pool")> {};
struct decl_name : identifier {};
struct decl_base : identifier {};
struct decl_template : identifier {};
struct decl_extends : p::seq<kw_extends, ws_line, p::must<decl_base>> {};
struct decl_equals : p::seq<p::one<'='>, ws_line, p::must<decl_template>> {};
struct decl_header : p::seq<decl_kind, gap, decl_name, ws_line, p::sor<decl_extends, decl_equals, p::at<p::one<'{'>>>> {};
struct block_open : p::one<'{'> {};
struct block_close : p::one<'}'> {};
struct decl_block
    : p::seq<block_open, ws_any, p::opt<field_init, p::star<item_separator, field_init>>, p::opt<item_separator>,
             ws_any, p::must<block_close>> {};
struct decl_stmt : p::seq<decl_header, ws_line, p::must<decl_block>> {};

// design NAME = solver(args) over { axis in domain ... where condition }
struct design_name : identifier {};
struct design_equals : p::one<'='> {};
struct design_solver : p::seq<postfix<ws_line>> {};
struct design_over : kw_over {};
struct axis_name : identifier {};
struct axis_domain : line_expression {};
struct axis_item : p::seq<axis_name, ws_line, kw_in, ws_line, p::must<axis_domain>> {};
struct where_condition : line_expression {};
struct where_item : p::if_must<kw_where, ws_line, where_condition> {};
struct design_item : p::sor<where_item, axis_item> {};
struct design_block
    : p::seq<block_open, ws_any, p::opt<design_item, p::star<item_separator, design_item>>, p::opt<item_separator>,
             ws_any, p::must<block_close>> {};
struct design_stmt : p::if_must<kw_design, ws_line, design_name, ws_line, design_equals, ws_any, design_solver, ws_any,
                                design_over, ws_line, design_block> {};

struct require_condition : line_expression {};
struct require_stmt : p::if_must<kw_require, ws_line, require_condition> {};
struct objective_value : line_expression {};
struct objective_stmt : p::if_must<p::sor<kw_minimize, kw_maximize>, ws_line, objective_value> {};

// report NAME [pareto|all|feasible] [top N] [show a, b, c]  (`show` may start the next line)
struct report_design : identifier {};
struct report_mode : identifier {};
struct report_top_value : p::seq<number> {};
struct report_top : p::if_must<kw_top, ws_line, report_top_value> {};
struct shown_name : identifier {};
struct show_clause
    : p::if_must<kw_show, ws_line, shown_name, p::star<ws_line, p::one<','>, ws_any, p::must<shown_name>>> {};
struct report_stmt : p::if_must<kw_report, ws_line, report_design, p::opt<ws_line, report_mode>,
                                p::opt<ws_line, report_top>, p::opt<ws_any, show_clause>> {};

// Assignments: params and questions; a student's answers.
struct param_name : identifier {};
struct param_equals : p::one<'='> {};
struct param_value : line_expression {};
struct param_item : p::if_must<kw_param, ws_line, param_name, ws_line, param_equals, ws_any, param_value> {};
struct question_name : identifier {};
struct question_points : p::seq<number> {};
struct question_text : p::seq<string_literal> {};
struct feedback_condition : line_expression {};
struct feedback_colon : p::one<':'> {};
struct feedback_message : p::seq<string_literal> {};
struct feedback_rule : p::if_must<kw_feedback, ws_line, kw_when, ws_line, feedback_condition, ws_line, feedback_colon,
                                  ws_line, feedback_message> {};
struct question_entry : p::sor<feedback_rule, field_init> {};
struct question_block
    : p::seq<block_open, ws_any, p::opt<question_entry, p::star<item_separator, question_entry>>,
             p::opt<item_separator>, ws_any, p::must<block_close>> {};
struct question_item
    : p::if_must<kw_question, ws_line, question_name, p::opt<ws_line, kw_points, ws_line, p::must<question_points>>,
                 p::opt<ws_line, question_text>, ws_any, question_block> {};
struct assignment_item : p::sor<param_item, question_item> {};
struct assignment_block
    : p::seq<block_open, ws_any, p::opt<assignment_item, p::star<item_separator, assignment_item>>,
             p::opt<item_separator>, ws_any, p::must<block_close>> {};
struct assignment_stmt : p::if_must<kw_assignment, ws_line, title_string, ws_any, assignment_block> {};
struct answers_stmt : p::if_must<kw_answers, ws_line, decl_block> {};

// `measured decode(Llama3_8B, H100_SXM, batch = 8).itl = 6.1 ms`: a user's
// measurement of what the expression predicts (runtime/calibrate/).
struct measured_expression : line_expression {};
struct measured_equals : p::seq<p::one<'='>, p::not_at<p::one<'='>>> {};
struct measured_value : line_expression {};
struct measured_stmt
    : p::if_must<kw_measured, ws_line, measured_expression, ws_line, measured_equals, ws_line, measured_value> {};

struct expr_stmt : line_expression {};
// A lone carriage return ending the file (an editor's old Mac line end) ends the line too.
struct statement_end : p::sor<p::one<';'>, p::eol, p::seq<p::one<'\r'>, p::eof>, p::eof> {};
struct statement
    : p::seq<p::sor<let_stmt, print_stmt, scenario_stmt, import_stmt, design_stmt, require_stmt, objective_stmt,
                    report_stmt, assignment_stmt, answers_stmt, measured_stmt, decl_stmt, expr_stmt>,
             ws_line, p::must<statement_end>> {};

// One statement (and the blank lines and comments before it), or the end.
struct next_statement : p::seq<ws_any, p::sor<p::eof, p::must<statement>>> {};
// A whole input that must be exactly one expression (`ironlaw eval`).
struct whole_expression_end : p::eof {};
struct whole_expression : p::seq<ws_any, inner_expression, ws_any, p::must<whole_expression_end>> {};

}  // namespace ironlaw::lang::grammar
