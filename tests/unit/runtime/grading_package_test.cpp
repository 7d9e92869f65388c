// Packaging and the gradebook's safety (issue 19): the zip writer's CRC and
// layout, spreadsheet-safe CSV cells, the student id from an LMS's metadata,
// static-binary detection, and reads that refuse links.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "../../../runtime/app/grading/package.hpp"
#include "../../../runtime/app/grading/results.hpp"
#include "../../../runtime/app/grading/student_id.hpp"
#include "../../../runtime/io/zip_writer.hpp"
#include "ironlaw/lang/parse.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;
using namespace ironlaw::runtime::grading;

namespace {

// A scratch directory removed at the end of the test.
struct scratch {
  std::filesystem::path dir;
  scratch() {
    char templ[] = "/tmp/ironlaw-package-test-XXXXXX";
    dir = ::mkdtemp(templ);
  }
  ~scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  }
};

std::uint32_t le32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
  return v;
}

bool load_hw(assignment_file& file) {
  std::ifstream in(std::string(IRONLAW_SOURCE_DIR) + "/tests/data/grading/hw.iron");
  std::stringstream text;
  text << in.rdbuf();
  auto source = std::make_shared<const lang::source_file>("hw.iron", text.str());
  lang::diagnostics diags;
  return lang::parse_program(source, file.program, diags).ok && load_assignment(registry::embedded(), file, diags);
}

}  // namespace

TEST_CASE("package: CRC-32 matches the standard check value", "[package]") {
  // The check value of CRC-32/ISO-HDLC over "123456789" (the zip CRC).
  CHECK(files::crc32("123456789") == 0xCBF43926u);
  CHECK(files::crc32("") == 0u);
}

TEST_CASE("package: a stored zip has one header per file and a directory that finds them", "[package]") {
  files::zip_writer zip;
  REQUIRE(zip.add("run_autograder", "#!/bin/sh\n", 0755));
  REQUIRE(zip.add("dir/data.txt", "hello"));
  auto bytes = zip.finish();
  // End of central directory: 22 bytes at the end, 2 entries, the directory's offset.
  REQUIRE(bytes.size() > 22);
  auto eocd = bytes.size() - 22;
  CHECK(le32(bytes, eocd) == 0x06054b50u);
  CHECK((le32(bytes, eocd + 8) & 0xFFFF) == 2);
  auto directory = le32(bytes, eocd + 16);
  CHECK(le32(bytes, directory) == 0x02014b50u);
  // The first entry's external attributes carry its Unix mode.
  CHECK((le32(bytes, directory + 38) >> 16) == (0100000u | 0755u));
  // The local header of the second file holds its CRC and size, then its bytes.
  auto second = le32(bytes, directory + 46 + std::string("run_autograder").size() + 42);
  CHECK(le32(bytes, second) == 0x04034b50u);
  CHECK(le32(bytes, second + 14) == files::crc32("hello"));
  CHECK(le32(bytes, second + 22) == 5);
  CHECK(bytes.substr(second + 30 + std::string("dir/data.txt").size(), 5) == "hello");
  // The same files give the same bytes (fixed dates).
  files::zip_writer again;
  again.add("run_autograder", "#!/bin/sh\n", 0755);
  again.add("dir/data.txt", "hello");
  CHECK(again.finish() == bytes);
}

TEST_CASE("package: the zip writer refuses names that would escape or repeat", "[package]") {
  files::zip_writer zip;
  CHECK_FALSE(zip.add("", "x"));
  CHECK_FALSE(zip.add("/etc/passwd", "x"));
  CHECK_FALSE(zip.add("../up", "x"));
  CHECK_FALSE(zip.add("a/../../up", "x"));
  CHECK_FALSE(zip.add("a\\b", "x"));
  CHECK(zip.add("a", "x"));
  CHECK_FALSE(zip.add("a", "y"));
}

TEST_CASE("package: gradebook text cells cannot start a spreadsheet formula", "[package]") {
  CHECK(spreadsheet_text("alice") == "alice");
  CHECK(spreadsheet_text("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
  CHECK(spreadsheet_text("+1") == "'+1");
  CHECK(spreadsheet_text("-2+3") == "'-2+3");
  CHECK(spreadsheet_text("@SUM(A1)") == "'@SUM(A1)");
  CHECK(spreadsheet_text("\t=1") == "'\t=1");
  CHECK(spreadsheet_text("\r=1") == "\"'\r=1\"");
  CHECK(spreadsheet_text("a=b") == "a=b");
  CHECK(spreadsheet_text("") == "");
  CHECK(spreadsheet_text("caf\xe9") == "caf\xEF\xBF\xBD");  // Latin-1 bytes in a file name
  CHECK(spreadsheet_text("caf\xC3\xA9") == "caf\xC3\xA9");  // UTF-8 kept
  grade_report r;
  r.student = "=cmd|' /C calc'!A0";
  r.status = "graded";
  r.tests.push_back({"@q1", 1, 1, {}, false});
  CHECK(csv_header(r) == "student,score,max_score,'@q1,status\n");
  CHECK(csv_row(r) == "'=cmd|' /C calc'!A0,1,1,1,graded\n");
}

TEST_CASE("package: the student id comes from Gradescope's or PrairieLearn's metadata", "[package]") {
  scratch s;
  lang::diagnostics diags;
  auto gradescope = s.write("submission_metadata.json", R"({"id": 1, "users": [
    {"email": "Zoe@Example.edu", "id": 7, "name": "Zoe"}, {"email": " amy@example.edu ", "id": 8, "name": "Amy"}],
    "assignment": {"title": "HW"}})");
  CHECK(student_from_metadata(gradescope, diags) == std::optional<std::string>("amy@example.edu"));
  auto prairielearn = s.write("data.json", R"({"params": {"ironlaw_student": "pl-3", "prompts": "..."}, "submitted_answers": {}})");
  CHECK(student_from_metadata(prairielearn, diags) == std::optional<std::string>("pl-3"));
  CHECK_FALSE(diags.has_errors());

  lang::diagnostics none;
  CHECK_FALSE(student_from_metadata(s.write("other.json", R"({"users": [], "params": {}})"), none));
  REQUIRE(none.has_errors());
  CHECK(none.items().front().code == "E1014");
  lang::diagnostics broken;
  CHECK_FALSE(student_from_metadata(s.write("broken.json", "{\"users\": ["), broken));
  CHECK(broken.items().front().code == "E0801");
  lang::diagnostics missing;
  CHECK_FALSE(student_from_metadata((s.dir / "absent.json").string(), missing));
  CHECK(missing.items().front().code == "E0004");
}

TEST_CASE("package: an assignment with parameters needs the student id", "[package]") {
  assignment_file file;
  REQUIRE(load_hw(file));
  CHECK(has_variants(file));
  lang::diagnostics diags;
  missing_student(file, diags);
  REQUIRE(diags.has_errors());
  const auto& d = diags.items().front();
  CHECK(d.code == "E1013");
  CHECK(d.message.find("ctx, gpu") != std::string::npos);
  CHECK(d.help.find("--student") != std::string::npos);
  CHECK(d.source != nullptr);
}

TEST_CASE("package: a submission read refuses a link, whatever it points at", "[package]") {
  scratch s;
  auto target = s.write("real.iron", "answers { q1 = 1 }\n");
  std::filesystem::create_symlink(target, s.dir / "link.iron");
  std::string text;
  auto refused = files::read_regular((s.dir / "link.iron").string(), text, 1024, files::links::refuse);
  REQUIRE(refused);
  CHECK(refused->code == "E0705");
  CHECK(refused->message.find("symbolic link") != std::string::npos);
  CHECK(text.empty());
  CHECK_FALSE(files::read_regular((s.dir / "link.iron").string(), text, 1024, files::links::follow));
  CHECK(text == "answers { q1 = 1 }\n");
}

TEST_CASE("package: a static executable is told from a dynamic one", "[package]") {
  // A minimal ELF64 header with one program header of type `type`.
  auto elf = [](unsigned type) {
    std::string b(64 + 56, '\0');
    b.replace(0, 4, "\x7f" "ELF");
    b[4] = 2;  // 64-bit
    b[5] = 1;  // little-endian
    b[0x20] = 64;  // e_phoff
    b[0x36] = 56;  // e_phentsize
    b[0x38] = 1;   // e_phnum
    b[64] = static_cast<char>(type);
    return b;
  };
  CHECK(is_static_elf(elf(1)));        // PT_LOAD only
  CHECK_FALSE(is_static_elf(elf(3)));  // PT_INTERP: needs a dynamic loader
  CHECK_FALSE(is_static_elf("#!/bin/sh\n"));
  auto truncated = elf(1);
  truncated[0x38] = 100;  // more headers than the file holds
  CHECK_FALSE(is_static_elf(truncated));
}
