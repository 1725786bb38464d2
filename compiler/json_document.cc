#include "compiler/json_document.h"

#include <algorithm>
#include <iterator>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace pinbake {

// ---- JsonValue -----------------------------------------------------------

const char* JsonValue::type_name() const {
  switch (type()) {
    case Type::NULL_VALUE:
      return "null";
    case Type::BOOL:
      return "boolean";
    case Type::STRING:
      return "string";
    case Type::ARRAY:
      return "array";
    case Type::OBJECT:
      return "object";
    case Type::INT64:
    case Type::UINT64:
    case Type::DOUBLE:
      return "number";
  }
  return "number";
}

std::string JsonValue::dump() const {
  return valid_ ? simdjson::minify(element_) : "null";
}

size_t JsonValue::size() const {
  if (is_array()) return element_.get_array().value_unsafe().size();
  if (is_object()) return element_.get_object().value_unsafe().size();
  return 0;
}

JsonValue::const_iterator JsonValue::begin() const {
  const_iterator it;
  if (is_array()) {
    it.is_empty_ = false;
    it.array_it_ = element_.get_array().value_unsafe().begin();
  }
  return it;
}

JsonValue::const_iterator JsonValue::end() const {
  const_iterator it;
  if (is_array()) {
    it.is_empty_ = false;
    it.array_it_ = element_.get_array().value_unsafe().end();
  } else if (is_object()) {
    it.is_empty_ = false;
    it.is_object_ = true;
    it.object_it_ = element_.get_object().value_unsafe().end();
  }
  return it;
}

JsonValue::const_iterator JsonValue::find(absl::string_view key) const {
  if (!is_object()) return end();
  const simdjson::dom::object object = element_.get_object().value_unsafe();
  const_iterator it;
  it.is_empty_ = false;
  it.is_object_ = true;
  for (it.object_it_ = object.begin(); it.object_it_ != object.end();
       ++it.object_it_) {
    if (it.object_it_.key_equals(std::string_view(key.data(), key.size()))) {
      return it;
    }
  }
  return it;  // == end()
}

bool JsonValue::contains(absl::string_view key) const {
  return find(key) != end();
}

JsonValue JsonValue::operator[](absl::string_view key) const {
  const_iterator it = find(key);
  return it == end() ? JsonValue() : *it;
}

JsonValue::ItemsRange JsonValue::items() const {
  ItemsRange range;
  if (is_object()) {
    range.empty_ = false;
    range.object_ = element_.get_object().value_unsafe();
  }
  return range;
}

JsonValue::ItemsRange::iterator JsonValue::ItemsRange::begin() const {
  iterator it;
  if (!empty_) it.it_ = object_.begin();
  return it;
}

JsonValue::ItemsRange::iterator JsonValue::ItemsRange::end() const {
  iterator it;
  if (!empty_) it.it_ = object_.end();
  return it;
}

// ---- Parsing -------------------------------------------------------------

namespace {

using Json = nlohmann::json;

// Turns nlohmann's "[json.exception.parse_error.101] parse error at line 2,
// column 8: syntax error ..." into "syntax error ..." (the position is
// reported separately, computed by TextPosition::OfOffset).
std::string ParseErrorMessage(const char* what) {
  absl::string_view s(what);
  size_t column = s.find(", column ");
  if (column != absl::string_view::npos) {
    size_t colon = s.find(": ", column);
    if (colon != absl::string_view::npos) return std::string(s.substr(colon + 2));
  }
  size_t bracket = s.find("] ");
  if (bracket != absl::string_view::npos) return std::string(s.substr(bracket + 2));
  return std::string(s);
}

// Checks the simdjson DOM: depth <= kMaxJsonDepth and no object with a
// key twice. Each object's keys are sorted in one scratch vector and
// compared byte for byte, so the whole walk is O(n log k) for n values and
// at most k keys per object, with no hashing.
class DomChecker {
 public:
  // True if the DOM under `root` breaks no rule.
  bool Check(simdjson::dom::element root) { return Walk(root, 1); }

 private:
  bool Walk(simdjson::dom::element e, int depth) {
    switch (e.type()) {
      case simdjson::dom::element_type::ARRAY: {
        if (depth > kMaxJsonDepth) return false;
        const simdjson::dom::array array = e.get_array().value_unsafe();
        for (simdjson::dom::element child : array) {
          if (!Walk(child, depth + 1)) return false;
        }
        return true;
      }
      case simdjson::dom::element_type::OBJECT: {
        if (depth > kMaxJsonDepth) return false;
        const simdjson::dom::object object = e.get_object().value_unsafe();
        const size_t base = keys_.size();
        for (const simdjson::dom::key_value_pair member : object) {
          keys_.push_back(member.key);
        }
        std::sort(keys_.begin() + base, keys_.end());
        const bool unique =
            std::adjacent_find(keys_.begin() + base, keys_.end()) ==
            keys_.end();
        keys_.resize(base);
        if (!unique) return false;
        for (const simdjson::dom::key_value_pair member : object) {
          if (!Walk(member.value, depth + 1)) return false;
        }
        return true;
      }
      default:
        return true;
    }
  }

  std::vector<std::string_view> keys_;
};

// An input iterator over the text for nlohmann's parser that records how
// far the parser has read, so that SAX events can be given a position.
// (nlohmann's lexer reads one byte at a time and keeps its one byte of
// look-ahead itself.)
class TrackingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  TrackingIterator(const char* p, const char** furthest)
      : p_(p), furthest_(furthest) {}
  reference operator*() const { return *p_; }
  TrackingIterator& operator++() {
    ++p_;
    if (p_ > *furthest_) *furthest_ = p_;
    return *this;
  }
  TrackingIterator operator++(int) {
    TrackingIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const TrackingIterator& o) const { return p_ == o.p_; }
  bool operator!=(const TrackingIterator& o) const { return p_ != o.p_; }

 private:
  const char* p_;
  const char** furthest_;
};

// The nlohmann SAX pass of the slow path. Reports the syntax error and the
// first too-deep container with LINE:COL; if `out` is not null, writes the
// document as plain JSON (no comments) into it, keys and values in
// document order, strings and floating-point numbers as written; if
// `find_duplicates`, also reports every duplicate key with LINE:COL.
class LocatingSax {
 public:
  LocatingSax(absl::string_view text, const std::string& file,
              Diagnostics* diags, const char** furthest, std::string* out,
              bool find_duplicates)
      : text_(text),
        file_(file),
        diags_(diags),
        furthest_(furthest),
        out_(out),
        find_duplicates_(find_duplicates) {}

  bool null() { return Scalar("null"); }
  bool boolean(bool b) { return Scalar(b ? "true" : "false"); }
  bool number_integer(Json::number_integer_t n) {
    // Only a token with a '-' comes here, so 0 was written "-0": keep it
    // so, as the fast path sees it.
    if (out_ == nullptr) return Scalar("");
    return Scalar(n == 0 ? "-0" : absl::StrCat(n));
  }
  bool number_unsigned(Json::number_unsigned_t n) {
    return out_ == nullptr ? Scalar("") : Scalar(absl::StrCat(n));
  }
  bool number_float(Json::number_float_t, const Json::string_t& raw) {
    return Scalar(raw);
  }
  bool string(Json::string_t&) { return Scalar(LastStringToken()); }
  bool binary(Json::binary_t&) { return Scalar("null"); }  // Not in JSON.

  bool start_object(std::size_t) { return Open(/*is_array=*/false, '{'); }
  bool start_array(std::size_t) { return Open(/*is_array=*/true, '['); }
  bool end_object() { return Close('}'); }
  bool end_array() { return Close(']'); }

  bool key(Json::string_t& key) {
    Level& top = open_.back();
    const absl::string_view token = LastStringToken();
    if (find_duplicates_) {
      const size_t start = static_cast<size_t>(token.data() - text_.data());
      auto [it, inserted] = top.first_key_offset.try_emplace(key, start);
      if (!inserted) {
        ++duplicates_;
        if (duplicates_ <= kMaxDuplicateKeyErrors) {
          diags_->ErrorAt(
              file_, TextPosition::OfOffset(text_, start),
              absl::StrCat("duplicate key ", token, " in object ",
                           ContainerPath(), " (first at ",
                           TextPosition::OfOffset(text_, it->second).ToString(),
                           "); a key may appear once per object"));
        }
      }
    }
    top.key = key;
    if (out_ != nullptr) {
      if (!top.first) out_->push_back(',');
      absl::StrAppend(out_, token, ":");
    }
    top.first = false;
    return true;
  }

  bool parse_error(std::size_t byte, const std::string&,
                   const Json::exception& e) {
    // `byte` is the 1-based count of bytes read, the last being the
    // offending one.
    const size_t offset = byte > 0 ? byte - 1 : 0;
    diags_->ErrorAt(file_, TextPosition::OfOffset(text_, offset),
                  ParseErrorMessage(e.what()));
    return false;
  }

  // Called after parsing: reports how many duplicate keys were not listed.
  void Finish() {
    if (duplicates_ > kMaxDuplicateKeyErrors) {
      diags_->Error(file_, "",
                    absl::StrCat(duplicates_ - kMaxDuplicateKeyErrors,
                                 " more duplicate keys not listed (",
                                 duplicates_, " in all)"));
    }
  }

  size_t duplicates() const { return duplicates_; }

 private:
  struct Level {
    bool is_array = false;
    bool first = true;  // No member/element written yet.
    size_t index = 0;   // Arrays: index of the element being parsed.
    std::string key;    // Objects: key of the value being parsed.
    absl::flat_hash_map<std::string, size_t> first_key_offset;
  };

  size_t LastReadOffset() const {
    const size_t read = static_cast<size_t>(*furthest_ - text_.data());
    return read > 0 ? read - 1 : 0;
  }

  // The string token (quotes included, escapes as written) that the
  // parser has just read: its closing quote is the last byte read, its
  // opening quote the nearest '"' before that is not escaped by an odd
  // number of backslashes. Linear in the token's length. (The lexer has
  // validated the token: UTF-8, escapes, no control characters.)
  absl::string_view LastStringToken() const {
    const size_t end_quote = LastReadOffset();
    size_t i = end_quote;
    while (i > 0) {
      --i;
      if (text_[i] != '"') continue;
      size_t backslashes = 0;
      while (i > backslashes && text_[i - 1 - backslashes] == '\\') {
        ++backslashes;
      }
      if (backslashes % 2 == 0) break;
    }
    return text_.substr(i, end_quote + 1 - i);
  }

  // "entries[12]": the path of the innermost open container, built in
  // one pass (linear in the depth, which is at most kMaxJsonDepth).
  std::string ContainerPath() const {
    std::string path;
    for (size_t i = 0; i + 1 < open_.size(); ++i) {
      const Level& level = open_[i];
      if (level.is_array) {
        absl::StrAppend(&path, "[", level.index, "]");
      } else {
        absl::StrAppend(&path, path.empty() ? "" : ".", level.key);
      }
    }
    return path.empty() ? "(top level)" : path;
  }

  // Before a value: the separator of an array element.
  void BeginValue() {
    if (open_.empty() || !open_.back().is_array) return;
    Level& top = open_.back();
    if (!top.first && out_ != nullptr) out_->push_back(',');
    top.first = false;
  }
  // After a value: arrays count their elements.
  void EndValue() {
    if (!open_.empty() && open_.back().is_array) ++open_.back().index;
  }

  bool Scalar(absl::string_view token) {
    BeginValue();
    if (out_ != nullptr) out_->append(token.data(), token.size());
    EndValue();
    return true;
  }

  bool Open(bool is_array, char bracket) {
    if (open_.size() >= static_cast<size_t>(kMaxJsonDepth)) {
      diags_->ErrorAt(
          file_, TextPosition::OfOffset(text_, LastReadOffset()),
          absl::StrCat("nesting deeper than ", kMaxJsonDepth,
                       " arrays and objects (in ", ContainerPathForChild(),
                       "); a pin list needs 4"));
      return false;
    }
    BeginValue();
    if (out_ != nullptr) out_->push_back(bracket);
    open_.emplace_back();
    open_.back().is_array = is_array;
    return true;
  }

  // The path of the container being opened (for the depth error).
  std::string ContainerPathForChild() {
    open_.emplace_back();
    std::string path = ContainerPath();
    open_.pop_back();
    return path;
  }

  bool Close(char bracket) {
    if (out_ != nullptr) out_->push_back(bracket);
    open_.pop_back();
    EndValue();
    return true;
  }

  absl::string_view text_;
  const std::string& file_;
  Diagnostics* diags_;
  const char** furthest_;
  std::string* out_;
  const bool find_duplicates_;
  std::vector<Level> open_;
  size_t duplicates_ = 0;
};

// Runs LocatingSax over `text`; true if nlohmann's parser accepted it and
// no error was reported.
bool RunLocatingPass(absl::string_view text, const std::string& file,
                     Diagnostics* diags, std::string* out,
                     bool find_duplicates) {
  const size_t errors_before = diags->error_count();
  const char* furthest = text.data();
  LocatingSax sax(text, file, diags, &furthest, out, find_duplicates);
  const bool parsed = Json::sax_parse(
      TrackingIterator(text.data(), &furthest),
      TrackingIterator(text.data() + text.size(), &furthest), &sax,
      Json::input_format_t::json, /*strict=*/true, /*ignore_comments=*/true);
  sax.Finish();
  return parsed && diags->error_count() == errors_before;
}

// The SAX pass of LocateFieldPaths: keeps the field path of the value
// being parsed and records where each wanted path starts.
class PathLocator {
 public:
  PathLocator(absl::string_view text, const char** furthest,
              const absl::flat_hash_set<std::string>& wanted,
              absl::flat_hash_map<std::string, size_t>* found)
      : text_(text), furthest_(furthest), wanted_(wanted), found_(found) {}

  // Literals are read to their last letter, no further.
  bool null() { return Scalar(LastReadOffset() - 3); }
  bool boolean(bool b) { return Scalar(LastReadOffset() - (b ? 3 : 4)); }
  bool number_integer(Json::number_integer_t) {
    return Scalar(LastNumberStart());
  }
  bool number_unsigned(Json::number_unsigned_t) {
    return Scalar(LastNumberStart());
  }
  bool number_float(Json::number_float_t, const Json::string_t&) {
    return Scalar(LastNumberStart());
  }
  bool string(Json::string_t&) { return Scalar(LastStringStart()); }
  bool binary(Json::binary_t&) { return Scalar(LastReadOffset()); }
  bool start_object(std::size_t) { return Open(false); }
  bool start_array(std::size_t) { return Open(true); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }
  bool key(Json::string_t& key) {
    const Level& top = levels_.back();
    path_.resize(top.path_length);
    absl::StrAppend(&path_, top.path_length == 0 ? "" : ".", key);
    Record(LastStringStart());
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const Json::exception&) {
    return false;
  }

 private:
  struct Level {
    bool is_array = false;
    size_t index = 0;        // Arrays: index of the element being parsed.
    size_t path_length = 0;  // Length of the container's own path.
  };

  size_t LastReadOffset() const {
    const size_t read = static_cast<size_t>(*furthest_ - text_.data());
    return read > 0 ? read - 1 : 0;
  }
  // As LocatingSax::LastStringToken: the opening quote of the string just
  // read.
  size_t LastStringStart() const {
    size_t i = LastReadOffset();
    while (i > 0) {
      --i;
      if (text_[i] != '"') continue;
      size_t backslashes = 0;
      while (i > backslashes && text_[i - 1 - backslashes] == '\\') {
        ++backslashes;
      }
      if (backslashes % 2 == 0) return i;
    }
    return 0;
  }

  // The first byte of the number just read. The lexer has read one byte
  // past it (unless the text ended), then the number's bytes, all of
  // [0-9.eE+-], go back to its start.
  size_t LastNumberStart() const {
    auto is_number_byte = [](char c) {
      return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' ||
             c == '+' || c == '-';
    };
    size_t i = LastReadOffset();
    if (i > 0 && !is_number_byte(text_[i])) --i;
    while (i > 0 && is_number_byte(text_[i - 1])) --i;
    return i;
  }

  void Record(size_t offset) {
    if (wanted_.contains(path_)) found_->try_emplace(path_, offset);
  }
  // A value starts at `offset`: array elements get their path here
  // (object members got theirs from key()).
  void BeginValue(size_t offset) {
    if (levels_.empty() || !levels_.back().is_array) return;
    Level& top = levels_.back();
    path_.resize(top.path_length);
    absl::StrAppend(&path_, "[", top.index, "]");
    Record(offset);
  }
  void EndValue() {
    if (!levels_.empty() && levels_.back().is_array) ++levels_.back().index;
  }
  bool Scalar(size_t offset) {
    BeginValue(offset);
    EndValue();
    return true;
  }
  bool Open(bool is_array) {
    BeginValue(LastReadOffset());
    Level level;
    level.is_array = is_array;
    level.path_length = path_.size();
    levels_.push_back(level);
    return true;
  }
  bool Close() {
    path_.resize(levels_.back().path_length);
    levels_.pop_back();
    EndValue();
    return true;
  }

  absl::string_view text_;
  const char** furthest_;
  const absl::flat_hash_set<std::string>& wanted_;
  absl::flat_hash_map<std::string, size_t>* found_;
  std::vector<Level> levels_;
  std::string path_;  // Path of the value being parsed.
};

// Parses `text` with simdjson into `parser`; the root on success.
std::optional<simdjson::dom::element> SimdParse(
    absl::string_view text, simdjson::dom::parser* parser,
    std::string* error) {
  // Room for some levels more than allowed, so that DomChecker (not
  // simdjson) decides about depth and the slow path locates it.
  if (simdjson::error_code err =
          parser->allocate(std::max<size_t>(text.size(), 64),
                           kMaxJsonDepth + 8);
      err != simdjson::SUCCESS) {
    *error = simdjson::error_message(err);
    return std::nullopt;
  }
  simdjson::dom::element root;
  if (simdjson::error_code err =
          parser->parse(text.data(), text.size()).get(root);
      err != simdjson::SUCCESS) {
    *error = simdjson::error_message(err);
    return std::nullopt;
  }
  return root;
}

}  // namespace

std::optional<JsonDocument> ParseJsonDocument(absl::string_view text,
                                              const std::string& file,
                                              Diagnostics* diags) {
  JsonDocument doc;
  doc.parser_ = std::make_unique<simdjson::dom::parser>();
  std::string simd_error;
  // Fast path: JSON without comments, duplicate keys or deep nesting.
  if (std::optional<simdjson::dom::element> root =
          SimdParse(text, doc.parser_.get(), &simd_error)) {
    if (DomChecker().Check(*root)) {
      doc.root_ = JsonValue(*root);
      return doc;
    }
  }
  // Slow path. First pass: syntax and depth, and the plain JSON (without
  // comments) for simdjson.
  std::string plain;
  if (!RunLocatingPass(text, file, diags, &plain,
                       /*find_duplicates=*/false)) {
    return std::nullopt;
  }
  // nlohmann accepted the text: it had comments (or something else simdjson
  // refuses, such as a byte order mark), or duplicate keys.
  std::optional<simdjson::dom::element> root =
      SimdParse(plain, doc.parser_.get(), &simd_error);
  if (!root.has_value()) {
    diags->Error(file, "",
                 absl::StrCat("cannot parse the JSON: ", simd_error,
                              " (simdjson)"));
    return std::nullopt;
  }
  if (!DomChecker().Check(*root)) {
    // Depth was checked: duplicate keys. Second pass to locate them.
    if (RunLocatingPass(text, file, diags, /*out=*/nullptr,
                        /*find_duplicates=*/true)) {
      diags->Error(file, "", "internal error: the JSON checks disagree");
    }
    return std::nullopt;
  }
  doc.root_ = JsonValue(*root);
  return doc;
}

absl::flat_hash_map<std::string, TextPosition> LocateFieldPaths(
    absl::string_view text, const std::vector<std::string>& paths) {
  absl::flat_hash_map<std::string, TextPosition> positions;
  if (paths.empty()) return positions;
  const absl::flat_hash_set<std::string> wanted(paths.begin(), paths.end());
  absl::flat_hash_map<std::string, size_t> found;
  const char* furthest = text.data();
  PathLocator locator(text, &furthest, wanted, &found);
  Json::sax_parse(TrackingIterator(text.data(), &furthest),
                  TrackingIterator(text.data() + text.size(), &furthest),
                  &locator, Json::input_format_t::json, /*strict=*/true,
                  /*ignore_comments=*/true);
  // Offsets to LINE:COL in one sweep over the text, in offset order.
  std::vector<std::pair<size_t, const std::string*>> by_offset;
  by_offset.reserve(found.size());
  for (const auto& [path, offset] : found) by_offset.emplace_back(offset, &path);
  std::sort(by_offset.begin(), by_offset.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  size_t line = 1;
  size_t line_start = 0;
  size_t i = 0;
  for (const auto& [offset, path] : by_offset) {
    for (; i < offset && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    positions.emplace(*path,
                      TextPosition{static_cast<uint32_t>(line),
                                   static_cast<uint32_t>(offset - line_start + 1)});
  }
  return positions;
}

}  // namespace pinbake
