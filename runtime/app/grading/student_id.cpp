#include "student_id.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "../../io/file_io.hpp"
#include "../import_model_json.hpp"

namespace ironlaw::runtime::grading {

bool has_variants(const assignment_file& file) {
  return std::any_of(file.params.begin(), file.params.end(), [](const auto& p) { return p.options.size() > 1; });
}

void missing_student(const assignment_file& file, lang::diagnostics& diags) {
  std::vector<std::string> varying;
  const lang::param_decl* first = nullptr;
  for (std::size_t i = 0; i < file.params.size(); ++i) {
    if (file.params[i].options.size() < 2) continue;
    varying.push_back(file.params[i].name);
    if (!first) first = &file.stmt->params[i];
  }
  auto& d = diags.error("E1013", file.program.source, first ? first->name_span : lang::span{},
                        fmt::format("'{}' draws a variant per student ({}); grading a submission needs the student's id",
                                    file.title, fmt::join(varying, ", ")));
  d.primary_label = "varies per student";
  d.help = "give --student ID (the id the student copy was rendered for), or --metadata FILE (Gradescope's "
           "submission_metadata.json, PrairieLearn's data.json); the file name never chooses the variant";
}

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Gradescope: every users[].email, lower case, trimmed of spaces.
std::vector<std::string> gradescope_emails(const json::value& root) {
  std::vector<std::string> out;
  const auto* users = root.find("users");
  if (!users || users->t != json::value::type::array) return out;
  for (const auto& u : users->items) {
    const auto* email = u.find("email");
    if (!email || email->t != json::value::type::string) continue;
    auto text = email->text;
    text.erase(0, text.find_first_not_of(" \t"));
    text.erase(text.find_last_not_of(" \t") + 1);
    if (!text.empty()) out.push_back(lower(text));
  }
  return out;
}

}  // namespace

std::optional<std::string> student_from_metadata(const std::string& path, lang::diagnostics& diags) {
  std::string text;
  if (auto problem = files::read_regular(path, text)) {
    diags.add(files::to_diagnostic(*problem));
    return std::nullopt;
  }
  auto source = std::make_shared<const lang::source_file>(path, std::move(text));
  auto root = json::parse(source, diags);
  if (!root) return std::nullopt;
  if (root->t == json::value::type::object) {
    if (auto emails = gradescope_emails(*root); !emails.empty()) return *std::min_element(emails.begin(), emails.end());
    if (const auto* params = root->find("params"); params && params->t == json::value::type::object)
      if (const auto* id = params->find("ironlaw_student"); id && id->t == json::value::type::string && !id->text.empty())
        return id->text;
  }
  auto& d = diags.error("E1014", source, root->where,
                        fmt::format("'{}' holds no student id", path));
  d.primary_label = "no users[].email and no params.ironlaw_student";
  d.help = "give Gradescope's submission_metadata.json (users[].email) or PrairieLearn's data.json from a question "
           "`ironlaw assignment package --prairielearn` wrote (params.ironlaw_student); or --student ID";
  return std::nullopt;
}

}  // namespace ironlaw::runtime::grading
