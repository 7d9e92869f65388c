// Reading and writing the user's files (issue 16): bounded reads that refuse
// directories, FIFOs, devices and /proc files; atomic writes that leave the
// original intact on failure and keep its permissions; --out's manifest.
#include <catch2/catch.hpp>

#include "harness.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

#include "../../../runtime/io/file_io.hpp"
#include "ironlaw/runtime/app/cli.hpp"
#include "ironlaw/runtime/app/import_model.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;
namespace fs = std::filesystem;

namespace {

// A fresh directory, removed afterwards.
struct scratch_dir {
  fs::path path;
  scratch_dir() {
    std::string templ = (fs::temp_directory_path() / "ironlaw-file-io-XXXXXX").string();
    path = ::mkdtemp(templ.data());
  }
  ~scratch_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  [[nodiscard]] std::string operator/(const std::string& name) const { return (path / name).string(); }
};

void write_text(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }
std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
mode_t mode_of(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 07777;
}
// Every entry but the named ones: a temporary left behind shows here.
std::vector<std::string> others(const fs::path& dir, std::vector<std::string> expected) {
  std::vector<std::string> found;
  for (const auto& e : fs::directory_iterator(dir))
    if (std::find(expected.begin(), expected.end(), e.path().filename().string()) == expected.end())
      found.push_back(e.path().filename().string());
  return found;
}

using testing::cli;

}  // namespace

TEST_CASE("files: a regular file is read whole") {
  scratch_dir d;
  write_text(d / "a.iron", "print 1\n");
  std::string text;
  REQUIRE_FALSE(files::read_regular(d / "a.iron", text));
  CHECK(text == "print 1\n");
  write_text(d / "empty.iron", "");
  text = "stale";
  REQUIRE_FALSE(files::read_regular(d / "empty.iron", text));
  CHECK(text.empty());
}

TEST_CASE("files: a directory is refused with E0705") {
  scratch_dir d;
  std::string text;
  auto p = files::read_regular(d.path.string(), text);
  REQUIRE(p);
  CHECK(p->code == "E0705");
  CHECK(p->message.find("is a directory") != std::string::npos);
}

TEST_CASE("files: a FIFO is refused without opening it") {
  scratch_dir d;
  REQUIRE(::mkfifo((d / "pipe").c_str(), 0600) == 0);
  std::string text;
  auto started = std::chrono::steady_clock::now();
  auto p = files::read_regular(d / "pipe", text);  // opening a FIFO with no writer would block
  REQUIRE(p);
  CHECK(p->code == "E0705");
  CHECK(p->message.find("is a FIFO, not a regular file") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
}

TEST_CASE("files: devices and /proc pseudo-files are refused") {
  std::string text;
  auto zero = files::read_regular("/dev/zero", text);
  REQUIRE(zero);
  CHECK(zero->code == "E0705");
  CHECK(zero->message.find("character device") != std::string::npos);
  auto proc = files::read_regular("/proc/self/status", text);  // a regular file of size 0
  REQUIRE(proc);
  CHECK(proc->code == "E0705");
  CHECK(proc->message.find("/proc") != std::string::npos);
}

TEST_CASE("files: the size is checked before reading") {
  scratch_dir d;
  // Sparse: 120 MB on paper, no blocks; reading it would take a while and 120 MB.
  {
    std::ofstream big(d / "big.iron", std::ios::binary);
  }
  fs::resize_file(d / "big.iron", 120'000'000);
  std::string text;
  auto p = files::read_regular(d / "big.iron", text);
  REQUIRE(p);
  CHECK(p->code == "E0706");
  CHECK(p->message.find("is 120 MB; the limit is 8 MiB") != std::string::npos);
  CHECK(text.empty());
  // A limit of its own: one byte over is refused, the limit itself is not.
  write_text(d / "ten", "0123456789");
  CHECK(files::read_regular(d / "ten", text, 9));
  CHECK_FALSE(files::read_regular(d / "ten", text, 10));
  CHECK(text == "0123456789");
}

TEST_CASE("files: a missing file is E0004") {
  std::string text;
  auto p = files::read_regular("/no/such/file.iron", text);
  REQUIRE(p);
  CHECK(p->code == "E0004");
  CHECK(p->message == "cannot read '/no/such/file.iron'");
}

TEST_CASE("files: sizes read as people write them") {
  CHECK(files::describe_size(1) == "1 byte");
  CHECK(files::describe_size(999) == "999 bytes");
  CHECK(files::describe_size(120'000'000) == "120 MB");
  CHECK(files::describe_size(8'388'609) == "8.39 MB");
  CHECK(files::describe_size(999'999) == "1 MB");
}

TEST_CASE("files: an atomic write creates a file with the umask's permissions") {
  scratch_dir d;
  auto old = ::umask(027);
  auto p = files::write_atomic(d / "new.iron", "print 1\n", files::existing::refuse);
  ::umask(old);
  REQUIRE_FALSE(p);
  CHECK(read_text(d / "new.iron") == "print 1\n");
  CHECK(mode_of(d / "new.iron") == 0640);
  CHECK(others(d.path, {"new.iron"}).empty());
}

TEST_CASE("files: an atomic write keeps the replaced file's permissions") {
  scratch_dir d;
  write_text(d / "a.iron", "old\n");
  ::chmod((d / "a.iron").c_str(), 0751);
  REQUIRE_FALSE(files::write_atomic(d / "a.iron", "new\n", files::existing::replace));
  CHECK(read_text(d / "a.iron") == "new\n");
  CHECK(mode_of(d / "a.iron") == 0751);
}

TEST_CASE("files: a failed write leaves the original and no temporary") {
  scratch_dir d;
  write_text(d / "a.iron", "the original\n");
  files::testing::fail_writes_after(5);  // a disk that fills after 5 bytes
  auto p = files::write_atomic(d / "a.iron", std::string(200'000, 'x'), files::existing::replace);
  files::testing::fail_writes_after(std::nullopt);
  REQUIRE(p);
  CHECK(p->code == "E1501");
  CHECK(p->message.find("No space left on device") != std::string::npos);
  CHECK(read_text(d / "a.iron") == "the original\n");
  CHECK(others(d.path, {"a.iron"}).empty());
}

TEST_CASE("files: refusing to replace an existing file") {
  scratch_dir d;
  write_text(d / "a.toml", "mine\n");
  auto p = files::write_atomic(d / "a.toml", "theirs\n", files::existing::refuse);
  REQUIRE(p);
  CHECK(p->code == "E1502");
  CHECK(read_text(d / "a.toml") == "mine\n");
  CHECK(others(d.path, {"a.toml"}).empty());
}

TEST_CASE("files: a symbolic link is never written through") {
  scratch_dir d;
  write_text(d / "target", "precious\n");
  fs::create_symlink(d / "target", d / "link");
  auto p = files::write_atomic(d / "link", "overwritten\n", files::existing::replace);
  REQUIRE(p);
  CHECK(p->code == "E1503");
  CHECK(read_text(d / "target") == "precious\n");
  CHECK(fs::is_symlink(d / "link"));
}

TEST_CASE("files: an output directory replaces only what its manifest lists") {
  scratch_dir d;
  std::string out = d / "out";
  {
    files::output_dir dir;
    REQUIRE_FALSE(dir.open(out, false));  // created
    CHECK(fs::is_directory(out));
    CHECK_FALSE(dir.may_write("a.csv"));
    REQUIRE_FALSE(dir.record({"a.csv"}));
    REQUIRE_FALSE(files::write_atomic(dir.path_of("a.csv"), "1\n", files::existing::replace));
  }
  write_text(out + "/notes.txt", "the user's\n");
  fs::create_symlink("/etc/passwd", out + "/b.csv");
  files::output_dir again;
  REQUIRE_FALSE(again.open(out, false));
  CHECK_FALSE(again.may_write("a.csv"));  // ironlaw wrote it
  auto foreign = again.may_write("notes.txt");
  REQUIRE(foreign);
  CHECK(foreign->code == "E1502");
  auto link = again.may_write("b.csv");
  REQUIRE(link);
  CHECK(link->code == "E1503");
  files::output_dir forced;
  REQUIRE_FALSE(forced.open(out, true));
  CHECK_FALSE(forced.may_write("notes.txt"));  // --force
  REQUIRE(forced.may_write("b.csv"));         // links: not even with --force
}

TEST_CASE("files: run refuses a directory and a FIFO") {
  scratch_dir d;
  auto r = cli({"run", d.path.string()});
  CHECK(r.code == 1);
  CHECK(r.err.find("E0705") != std::string::npos);
  REQUIRE(::mkfifo((d / "pipe.iron").c_str(), 0600) == 0);
  for (const char* command : {"run", "check", "fmt", "calibrate", "import-model"}) {
    auto f = cli({command, d / "pipe.iron"});
    INFO(command);
    CHECK(f.code == 1);
    CHECK(f.err.find("is a FIFO, not a regular file") != std::string::npos);
  }
}

TEST_CASE("files: fmt --write rewrites atomically and never a file that does not parse") {
  scratch_dir d;
  write_text(d / "ok.iron", "let   x =  1\n");
  ::chmod((d / "ok.iron").c_str(), 0600);
  auto r = cli({"fmt", "--write", d / "ok.iron"});
  CHECK(r.code == 0);
  CHECK(read_text(d / "ok.iron") == "let x = 1\n");
  CHECK(mode_of(d / "ok.iron") == 0600);
  write_text(d / "broken.iron", "let   x = (1 +\nlet y = 2\n");
  auto b = cli({"fmt", "--write", d / "broken.iron"});
  CHECK(b.code == 1);
  CHECK(read_text(d / "broken.iron") == "let   x = (1 +\nlet y = 2\n");
  CHECK(others(d.path, {"ok.iron", "broken.iron"}).empty());
}

TEST_CASE("files: import-model --out refuses an existing file without --force") {
  scratch_dir d;
  std::string config = std::string(IRONLAW_SOURCE_DIR) + "/tests/data/import_model/llama3_8b/config.json";
  write_text(d / "entry.toml", "# mine\n");
  auto refused = cli({"import-model", config, "--out", d / "entry.toml"});
  CHECK(refused.code == 1);
  CHECK(refused.err.find("E1502") != std::string::npos);
  CHECK(read_text(d / "entry.toml") == "# mine\n");
  auto forced = cli({"import-model", config, "--out", d / "entry.toml", "--force"});
  CHECK(forced.code == 0);
  CHECK(read_text(d / "entry.toml").find("layers") != std::string::npos);
}

TEST_CASE("files: import-model refuses absurd and non-finite counts") {
  auto try_import = [](const std::string& key, const std::string& value) {
    std::string json = R"({"model_type": "llama", "hidden_size": 4096, "num_hidden_layers": 32,
      "num_attention_heads": 32, "num_key_value_heads": 8, "intermediate_size": 14336,
      "vocab_size": 128256, "max_position_embeddings": 8192})";
    auto at = json.find("\"" + key + "\"");
    REQUIRE(at != std::string::npos);
    auto colon = json.find(':', at), end = json.find_first_of(",}", colon);
    json.replace(colon + 1, end - colon - 1, " " + value);
    lang::diagnostics diags;
    auto entry = import_hf_config(std::make_shared<const lang::source_file>("config.json", json), "M", "2026-01-01", diags);
    std::string messages;
    for (const auto& d : diags.items()) messages += d.code + " " + d.message + "\n";
    return std::make_pair(entry.has_value(), messages);
  };
  auto [ok, messages] = try_import("num_hidden_layers", "32");
  CHECK(ok);
  std::string four_hundred_digits = "1" + std::string(400, '0');  // strtod: inf
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"num_hidden_layers", four_hundred_digits}, {"num_hidden_layers", "0"}, {"num_hidden_layers", "-3"},
           {"num_hidden_layers", "1000000"}, {"hidden_size", "1e300"}, {"hidden_size", "1000000000000"},
           {"vocab_size", "99999999999"}, {"max_position_embeddings", "1" + std::string(30, '0')}}) {
    auto [refused_ok, why] = try_import(key, value);
    INFO(key << " = " << value.substr(0, 20) << ": " << why);
    CHECK_FALSE(refused_ok);
    // A number beyond a double's range is refused by the JSON reader (E0801),
    // every other one by the config's checks (E0803).
    CHECK(why.find(value.size() > 300 ? "E0801" : "E0803") != std::string::npos);
    CHECK(why.find("inf") == std::string::npos);
  }
}
