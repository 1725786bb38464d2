#include "compiler/pins_file_parser.h"

#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "runtime/cert_util.h"

namespace pinbake {
namespace {

constexpr absl::string_view kTimestampKeyword = "PinsListTimestamp";
constexpr absl::string_view kBeginPrefix = "-----BEGIN ";
constexpr absl::string_view kEndPrefix = "-----END ";
constexpr absl::string_view kDashes = "-----";
// Longest piece of an offending line quoted in a message.
constexpr size_t kMaxQuotedLength = 60;

bool IsIdentifier(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool IsDecimal(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// `line` quoted and escaped for a message, shortened if long.
std::string Quote(absl::string_view line) {
  bool shortened = line.size() > kMaxQuotedLength;
  if (shortened) line = line.substr(0, kMaxQuotedLength);
  return absl::StrCat("\"", absl::CHexEscape(line), shortened ? "...\"" : "\"");
}

// If `line` is "-----<prefix>LABEL-----", sets `*label` and returns true.
bool ParseArmorLine(absl::string_view line, absl::string_view prefix,
                    std::string* label) {
  if (!absl::ConsumePrefix(&line, prefix)) return false;
  if (!absl::ConsumeSuffix(&line, kDashes)) return false;
  *label = std::string(line);
  return true;
}

// Line-by-line state machine over a .pins file.
class PinsFileParser {
 public:
  PinsFileParser(absl::string_view contents, absl::string_view file_name,
                 Diagnostics* diags)
      : contents_(contents), file_name_(file_name), diags_(diags) {}

  PinsFile Parse() {
    ReportCarriageReturns();
    int line_number = 0;
    size_t start = 0;
    while (start < contents_.size()) {
      size_t newline = contents_.find('\n', start);
      size_t end = newline == absl::string_view::npos ? contents_.size()
                                                      : newline;
      ++line_number;
      absl::string_view line = contents_.substr(start, end - start);
      // A CR was reported once above; drop a final one so that the rest of
      // the line still gets checked.
      absl::ConsumeSuffix(&line, "\r");
      HandleLine(line_number, line);
      start = end + 1;
    }
    Finish(line_number + 1);
    return std::move(result_);
  }

 private:
  enum class State {
    kExpectName,       // Between entries.
    kExpectValue,      // After a name line.
    kExpectTimestamp,  // After the PinsListTimestamp line.
    kInBlock,          // Between BEGIN and END.
    kSkipping,         // After an error, until the next blank line.
  };

  void Error(int line, absl::string_view message) {
    diags_->ErrorAt(file_name_, {static_cast<uint32_t>(line), 1}, message);
  }

  // CRLF files would give one error per line; report the first CR with the
  // number of affected lines instead.
  void ReportCarriageReturns() {
    size_t first = contents_.find('\r');
    if (first == absl::string_view::npos) return;
    size_t lines_with_cr = 0;
    size_t start = 0;
    while (start < contents_.size()) {
      size_t newline = contents_.find('\n', start);
      size_t end = newline == absl::string_view::npos ? contents_.size()
                                                      : newline;
      if (contents_.substr(start, end - start).find('\r') !=
          absl::string_view::npos) {
        ++lines_with_cr;
      }
      start = end + 1;
    }
    diags_->ErrorAt(
        file_name_, TextPosition::OfOffset(contents_, first),
        absl::StrCat("carriage return (CRLF line endings are not allowed; ",
                     lines_with_cr, " line(s) affected)"));
  }

  void HandleLine(int line_number, absl::string_view line) {
    switch (state_) {
      case State::kExpectName:
        HandleNameLine(line_number, line);
        return;
      case State::kExpectValue:
        HandleValueLine(line_number, line);
        return;
      case State::kExpectTimestamp:
        HandleTimestampLine(line_number, line);
        return;
      case State::kInBlock:
        HandleBlockLine(line_number, line);
        return;
      case State::kSkipping:
        if (line.empty()) state_ = State::kExpectName;
        return;
    }
  }

  void HandleNameLine(int line_number, absl::string_view line) {
    if (line.empty() || line[0] == '#') return;
    if (line == kTimestampKeyword) {
      if (timestamp_line_ != 0) {
        Error(line_number, absl::StrCat("duplicate ", kTimestampKeyword,
                                        " (first at line ", timestamp_line_,
                                        ")"));
      }
      timestamp_line_ = line_number;
      state_ = State::kExpectTimestamp;
      return;
    }
    if (!IsIdentifier(line)) {
      if (absl::StartsWith(line, kSpkiHashPrefix) ||
          absl::StartsWith(line, kBeginPrefix)) {
        Error(line_number, "value without a name line before it");
      } else {
        Error(line_number,
              absl::StrCat("expected a name ([A-Za-z0-9_]+), got ",
                           Quote(line)));
      }
      state_ = State::kSkipping;
      return;
    }
    name_ = std::string(line);
    name_line_ = line_number;
    auto it = result_.keys.find(name_);
    name_is_duplicate_ = it != result_.keys.end();
    if (name_is_duplicate_) {
      Error(line_number, absl::StrCat("duplicate name \"", name_,
                                      "\" (first at line ", it->second.line,
                                      ")"));
    }
    state_ = State::kExpectValue;
  }

  void ReportMissingValue() {
    Error(name_line_,
          absl::StrCat("name \"", name_,
                       "\" is not followed by a sha256/ hash or a PEM block"));
  }

  void HandleValueLine(int line_number, absl::string_view line) {
    if (line.empty() || line[0] == '#') {
      ReportMissingValue();
      state_ = State::kExpectName;
      return;
    }
    if (absl::StartsWith(line, kSpkiHashPrefix)) {
      absl::StatusOr<SpkiHash> hash = ParseSpkiHash(line);
      if (!hash.ok()) {
        Error(line_number, hash.status().message());
      } else {
        AddKey(*hash);
      }
      state_ = State::kExpectName;
      return;
    }
    std::string label;
    if (ParseArmorLine(line, kBeginPrefix, &label)) {
      block_label_ = std::move(label);
      block_line_ = line_number;
      block_text_ = absl::StrCat(line, "\n");
      state_ = State::kInBlock;
      return;
    }
    if (IsIdentifier(line) || line == kTimestampKeyword) {
      // The name had no value; this line starts the next entry.
      ReportMissingValue();
      state_ = State::kExpectName;
      HandleNameLine(line_number, line);
      return;
    }
    Error(line_number,
          absl::StrCat("expected a sha256/ hash or -----BEGIN line for \"",
                       name_, "\", got ", Quote(line)));
    state_ = State::kSkipping;
  }

  void HandleTimestampLine(int line_number, absl::string_view line) {
    int64_t seconds = 0;
    if (!IsDecimal(line) || !absl::SimpleAtoi(line, &seconds)) {
      Error(line_number,
            absl::StrCat(kTimestampKeyword,
                         " must be followed by a line of unix seconds "
                         "(decimal digits), got ",
                         Quote(line)));
      state_ = line.empty() ? State::kExpectName : State::kSkipping;
      return;
    }
    if (!result_.timestamp.has_value()) result_.timestamp = seconds;
    state_ = State::kExpectName;
  }

  void ReportUnterminatedBlock() {
    Error(block_line_, absl::StrCat("block -----BEGIN ", block_label_,
                                    "----- has no -----END ", block_label_,
                                    "----- line"));
  }

  void HandleBlockLine(int line_number, absl::string_view line) {
    if (line.empty()) {
      ReportUnterminatedBlock();
      state_ = State::kExpectName;
      return;
    }
    std::string label;
    if (absl::StartsWith(line, kBeginPrefix)) {
      ReportUnterminatedBlock();
      state_ = State::kSkipping;
      return;
    }
    if (absl::StartsWith(line, kEndPrefix)) {
      if (!ParseArmorLine(line, kEndPrefix, &label) || label != block_label_) {
        Error(line_number,
              absl::StrCat("END line ", Quote(line),
                           " does not match -----BEGIN ", block_label_,
                           "----- at line ", block_line_));
        state_ = State::kExpectName;
        return;
      }
      absl::StrAppend(&block_text_, line, "\n");
      FinishBlock();
      state_ = State::kExpectName;
      return;
    }
    absl::StrAppend(&block_text_, line, "\n");
  }

  // Decodes the complete block in block_text_ through OpenSSL.
  void FinishBlock() {
    absl::StatusOr<std::vector<PemKeyObject>> objects =
        ParsePemKeyObjects(block_text_);
    block_text_.clear();
    if (!objects.ok()) {
      Error(block_line_, absl::StrCat("invalid PEM for \"", name_,
                                      "\": ", objects.status().message()));
      return;
    }
    if (objects->size() != 1) {
      Error(block_line_, absl::StrCat("expected one PEM object for \"", name_,
                                      "\", got ", objects->size()));
      return;
    }
    AddKey(objects->front().spki_hash);
  }

  void AddKey(const SpkiHash& hash) {
    if (name_is_duplicate_) return;  // Already reported.
    PinsFileKey key;
    key.hash = hash;
    key.line = name_line_;
    result_.keys.emplace(name_, key);
  }

  // Reports an entry left open at the end of the file.
  void Finish(int end_line) {
    switch (state_) {
      case State::kExpectValue:
        ReportMissingValue();
        break;
      case State::kExpectTimestamp:
        Error(end_line, absl::StrCat("file ends after ", kTimestampKeyword,
                                     " without its value"));
        break;
      case State::kInBlock:
        ReportUnterminatedBlock();
        break;
      case State::kExpectName:
      case State::kSkipping:
        break;
    }
  }

  const absl::string_view contents_;
  const absl::string_view file_name_;
  Diagnostics* const diags_;

  PinsFile result_;
  State state_ = State::kExpectName;
  int timestamp_line_ = 0;

  // The current entry.
  std::string name_;
  int name_line_ = 0;
  bool name_is_duplicate_ = false;
  std::string block_label_;
  int block_line_ = 0;
  std::string block_text_;
};

}  // namespace

PinsFile ParsePinsFile(absl::string_view contents, absl::string_view file_name,
                       Diagnostics* diags) {
  return PinsFileParser(contents, file_name, diags).Parse();
}

}  // namespace pinbake
