// A parsed JSON document for the list front end, hostile-proof and fast:
// every syntax error, duplicate object key and too-deep nesting is reported
// with its LINE:COL, in time O(n log k) for n bytes and at most k keys per
// object (no hash decides an answer, nothing backtracks), and the result is a
// read-only DOM (simdjson's) with a small nlohmann-like API (JsonValue), so
// that compiler/list_parser.cc reads it like nlohmann::json.
//
// How: simdjson parses the text (a few hundred MB/s); a linear walk of its
// DOM checks depth and duplicate keys (each object's keys sorted, compared
// byte for byte: no hash decides). Only when that finds a problem, or when
// simdjson refuses the text (a syntax error, or the // and /* */ comments
// Chromium's lists have, which simdjson does not accept), nlohmann's SAX
// parser reads the text: it locates a syntax error or the first too-deep
// container, and otherwise re-emits the text without comments (tokens
// copied as written) for simdjson; if that DOM has a duplicate key, a
// second SAX pass locates every duplicate. At most three linear passes.
// LocateFieldPaths (below) turns field paths into LINE:COL the same way.
// docs/list-format.md ("JSON syntax") states the rules.

#ifndef PINBAKE_COMPILER_JSON_DOCUMENT_H_
#define PINBAKE_COMPILER_JSON_DOCUMENT_H_

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "compiler/diagnostics.h"

namespace pinbake {

// Deepest nesting of arrays and objects a list may have; the outermost
// container is depth 1. Chromium's lists need 4. Deeper input is refused
// with the position of the first container past the limit.
inline constexpr int kMaxJsonDepth = 64;

// At most this many "duplicate key" errors are listed for one document;
// one more line says how many were left out.
inline constexpr size_t kMaxDuplicateKeyErrors = 100;

// A read-only view of one value of a JsonDocument, valid while the document
// lives. Named like nlohmann::json's accessors. Nothing here throws or
// allocates except get<std::string>() and dump(). Object lookups and key
// iteration see each key once (a document with duplicate keys is refused).
class JsonValue {
 public:
  class const_iterator;
  class ItemsRange;

  // A default-constructed JsonValue reads as null.
  JsonValue() = default;
  explicit JsonValue(simdjson::dom::element element)
      : element_(element), valid_(true) {}

  bool is_null() const { return type() == Type::NULL_VALUE; }
  bool is_boolean() const { return type() == Type::BOOL; }
  bool is_string() const { return type() == Type::STRING; }
  bool is_array() const { return type() == Type::ARRAY; }
  bool is_object() const { return type() == Type::OBJECT; }
  bool is_number() const {
    return is_number_integer() || type() == Type::DOUBLE;
  }
  // Any integer (as nlohmann: also the non-negative ones).
  bool is_number_integer() const {
    return type() == Type::INT64 || type() == Type::UINT64;
  }
  // A non-negative integer that fits uint64_t (as nlohmann).
  bool is_number_unsigned() const {
    return type() == Type::UINT64 ||
           (type() == Type::INT64 && element_.get_int64().value_unsafe() >= 0);
  }
  bool is_number_float() const { return type() == Type::DOUBLE; }

  // The value as T: bool, std::string, std::string_view, an integer type
  // or double. Precondition: the matching is_...() holds (numbers convert
  // as static_cast does); otherwise returns T{}.
  template <typename T>
  T get() const;

  // nlohmann's type names: "null", "boolean", "number", "string", "array",
  // "object".
  const char* type_name() const;

  // Compact JSON text of the value (for messages).
  std::string dump() const;

  // Elements of an array, members of an object; 0 for anything else.
  size_t size() const;

  // Arrays: iterate over the elements (an empty range for non-arrays).
  const_iterator begin() const;
  const_iterator end() const;

  // Objects: the member named `key`, or end(); end() for non-objects.
  // Linear in the object's size.
  const_iterator find(absl::string_view key) const;
  // Objects: whether there is a member named `key`.
  bool contains(absl::string_view key) const;
  // Objects: the member named `key`; a null value if there is none or this
  // is not an object (nlohmann's const operator[] would be undefined).
  JsonValue operator[](absl::string_view key) const;
  // No operator[](size_t): an array index would cost a walk from the start
  // (simdjson's DOM), so iterate instead.

  // True for an empty array or object and for null (as nlohmann).
  bool empty() const { return is_null() || size() == 0; }

  // Objects: (key, value) pairs in document order, for
  // `for (const auto& [key, value] : v.items())`. Empty for non-objects.
  ItemsRange items() const;

 private:
  using Type = simdjson::dom::element_type;
  Type type() const { return valid_ ? element_.type() : Type::NULL_VALUE; }

  simdjson::dom::element element_;
  bool valid_ = false;
};

// Iterates over an array's elements or an object's member values (what
// find() returns); dereferences to a JsonValue.
class JsonValue::const_iterator {
 public:
  const_iterator() = default;
  JsonValue operator*() const {
    return is_object_ ? JsonValue((*object_it_).value) : JsonValue(*array_it_);
  }
  // Only for `it->...` on a temporary view.
  struct Arrow {
    JsonValue value;
    const JsonValue* operator->() const { return &value; }
  };
  Arrow operator->() const { return Arrow{**this}; }
  const_iterator& operator++() {
    if (is_object_) {
      ++object_it_;
    } else {
      ++array_it_;
    }
    return *this;
  }
  bool operator==(const const_iterator& other) const {
    if (is_empty_ || other.is_empty_) return is_empty_ == other.is_empty_;
    return is_object_ ? object_it_ == other.object_it_
                      : array_it_ == other.array_it_;
  }
  bool operator!=(const const_iterator& other) const {
    return !(*this == other);
  }

 private:
  friend class JsonValue;
  bool is_empty_ = true;  // Over a scalar: begin() == end().
  bool is_object_ = false;
  simdjson::dom::array::iterator array_it_;
  simdjson::dom::object::iterator object_it_;
};

// The range of items(): each element is a std::pair<std::string, JsonValue>
// (the key copied, as nlohmann's items() gives a std::string key).
class JsonValue::ItemsRange {
 public:
  class iterator {
   public:
    std::pair<std::string, JsonValue> operator*() const {
      const simdjson::dom::key_value_pair member = *it_;
      return {std::string(member.key), JsonValue(member.value)};
    }
    iterator& operator++() {
      ++it_;
      return *this;
    }
    bool operator!=(const iterator& other) const { return it_ != other.it_; }
    bool operator==(const iterator& other) const { return it_ == other.it_; }

   private:
    friend class ItemsRange;
    simdjson::dom::object::iterator it_;
  };
  iterator begin() const;
  iterator end() const;

 private:
  friend class JsonValue;
  bool empty_ = true;
  simdjson::dom::object object_;
};

// A parsed document: owns the DOM that its JsonValues view.
class JsonDocument {
 public:
  JsonValue root() const { return root_; }

 private:
  friend std::optional<JsonDocument> ParseJsonDocument(
      absl::string_view, const std::string&, Diagnostics*);
  std::unique_ptr<simdjson::dom::parser> parser_;
  JsonValue root_;
};

// Parses `text` (JSON with // and /* */ comments; named `file` in
// messages). On success returns the document; otherwise reports every
// problem it can find to `diags` as "LINE:COL" errors (the first syntax
// error, which ends parsing; the first container deeper than
// kMaxJsonDepth, which ends parsing; every duplicate object key, naming
// also its field path and the first occurrence) and returns nullopt.
std::optional<JsonDocument> ParseJsonDocument(absl::string_view text,
                                              const std::string& file,
                                              Diagnostics* diags);

// For each field path in `paths`, named as compiler/list_parser.cc names
// fields ("list", "entries[12].name", "keys.K.pem_file"), the position
// in `text` of that member's key, or for an array element of its first
// byte; paths not in the text are left out. `text` should be a document
// ParseJsonDocument accepted (on a syntax error the search stops there).
// One nlohmann SAX pass plus one sweep: linear in the text and the paths.
absl::flat_hash_map<std::string, TextPosition> LocateFieldPaths(
    absl::string_view text, const std::vector<std::string>& paths);

template <typename T>
T JsonValue::get() const {
  if constexpr (std::is_same_v<T, bool>) {
    return is_boolean() ? element_.get_bool().value_unsafe() : false;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return is_string() ? std::string(element_.get_string().value_unsafe())
                       : std::string();
  } else if constexpr (std::is_same_v<T, std::string_view>) {
    return is_string() ? element_.get_string().value_unsafe()
                       : std::string_view();
  } else if constexpr (std::is_arithmetic_v<T>) {
    switch (type()) {
      case Type::INT64:
        return static_cast<T>(element_.get_int64().value_unsafe());
      case Type::UINT64:
        return static_cast<T>(element_.get_uint64().value_unsafe());
      case Type::DOUBLE:
        return static_cast<T>(element_.get_double().value_unsafe());
      default:
        return T{};
    }
  } else {
    static_assert(std::is_same_v<T, bool>, "unsupported JsonValue::get<T>");
  }
}

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_JSON_DOCUMENT_H_
