#include "op_registry.h"

#include <cstring>
#include <sstream>
#include <stdexcept>

namespace mlx::capi {

namespace {

std::vector<OpEntry>& table() {
  static std::vector<OpEntry>* t = new std::vector<OpEntry>();
  return *t;
}

const char* kind_name(ParamKind k) {
  switch (k) {
    case ParamKind::Int: return "int";
    case ParamKind::Bool: return "bool";
    case ParamKind::Dtype: return "dtype";
    case ParamKind::Real: return "real";
    case ParamKind::Ints: return "int[]";
    case ParamKind::Enum: return "enum";
  }
  return "?";
}

ParamSpec parse_param(const std::string& op, std::string tok) {
  auto bad = [&](const std::string& why) -> std::invalid_argument {
    return std::invalid_argument("[" + op + "] Malformed parameter schema '" + tok + "': " + why + ".");
  };
  auto colon = tok.find(':');
  if (colon == std::string::npos || colon == 0) throw bad("expected name:kind");
  ParamSpec s;
  s.name = tok.substr(0, colon);
  std::string kind = tok.substr(colon + 1);
  if (!kind.empty() && kind.back() == '?') {
    s.optional = true;
    kind.pop_back();
  }
  if (kind == "int") s.kind = ParamKind::Int;
  else if (kind == "bool") s.kind = ParamKind::Bool;
  else if (kind == "dtype") s.kind = ParamKind::Dtype;
  else if (kind == "real") s.kind = ParamKind::Real;
  else if (kind == "int[]") s.kind = ParamKind::Ints;
  else if (kind.rfind("enum(", 0) == 0 && kind.back() == ')') {
    s.kind = ParamKind::Enum;
    std::string names = kind.substr(5, kind.size() - 6);
    size_t start = 0;
    while (true) {
      size_t bar = names.find('|', start);
      std::string c = names.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
      if (c.empty()) throw bad("empty enum name");
      s.choices.push_back(c);
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
  } else {
    throw bad("unknown kind");
  }
  return s;
}

}  // namespace

std::vector<ParamSpec> parse_schema(const std::string& op, const char* text) {
  std::vector<ParamSpec> specs;
  std::istringstream in(text ? text : "");
  std::string tok;
  while (in >> tok) {
    specs.push_back(parse_param(op, tok));
    for (size_t i = 0; i + 1 < specs.size(); ++i) {
      if (specs[i].name == specs.back().name) {
        throw std::invalid_argument("[" + op + "] Parameter '" + tok + "' appears twice in the schema.");
      }
    }
  }
  if (specs.size() > 64) throw std::invalid_argument("[" + op + "] More than 64 parameters.");
  return specs;
}

std::string schema_text(const std::vector<ParamSpec>& specs) {
  std::string out;
  for (auto& s : specs) {
    if (!out.empty()) out += ' ';
    out += s.name + ':';
    if (s.kind == ParamKind::Enum) {
      out += "enum(";
      for (size_t i = 0; i < s.choices.size(); ++i) out += (i ? "|" : "") + s.choices[i];
      out += ')';
    } else {
      out += kind_name(s.kind);
    }
    if (s.optional) out += '?';
  }
  return out;
}

int register_op(const char* name, int arity, const char* schema, OpAdapter fn) {
  OpEntry e{name, arity, {}, "", "", fn};
  try {
    e.params = parse_schema(e.name, schema);
    e.schema = schema_text(e.params);
  } catch (const std::exception& ex) {
    e.schema_error = ex.what();  // reported when the op is used: static init must not throw
  }
  table().push_back(std::move(e));
  return static_cast<int>(table().size()) - 1;
}

const std::vector<OpEntry>& op_table() { return table(); }

// ---- Params ---------------------------------------------------------------------------

Params::Params(const std::string& op, const std::vector<ParamSpec>& specs, const int32_t* ints, int n_ints,
               const double* reals, int n_reals)
    : op_(op), specs_(specs) {
  if (specs.empty()) {
    if (n_ints != 0 || n_reals != 0) {
      fail("Takes no parameters, got " + std::to_string(n_ints) + " integer and " + std::to_string(n_reals) +
           " real values.");
    }
    return;
  }
  int ni = 0, nr = 0;
  auto next_int = [&](const ParamSpec& s) -> int32_t {
    if (ni >= n_ints) fail("Missing the integer value of parameter '" + s.name + "'.");
    return ints[ni++];
  };
  values_.resize(specs.size());
  for (size_t k = 0; k < specs.size(); ++k) {
    const ParamSpec& s = specs[k];
    Value& v = values_[k];
    if (s.optional) {
      int32_t given = next_int(s);
      if (given != 0 && given != 1) {
        fail("Parameter '" + s.name + "' has presence flag " + std::to_string(given) + " (expected 0 or 1).");
      }
      v.present = given == 1;
      if (!v.present) continue;
    }
    switch (s.kind) {
      case ParamKind::Real:
        if (nr >= n_reals) fail("Missing the real value of parameter '" + s.name + "'.");
        v.r = reals[nr++];
        break;
      case ParamKind::Ints: {
        int32_t n = next_int(s);
        if (n < 0 || n > n_ints - ni) fail("Parameter '" + s.name + "' has a bad list length " + std::to_string(n) + ".");
        v.list.assign(ints + ni, ints + ni + n);
        ni += n;
        break;
      }
      case ParamKind::Bool:
        v.i = next_int(s);
        if (v.i != 0 && v.i != 1) fail("Parameter '" + s.name + "' must be 0 or 1, got " + std::to_string(v.i) + ".");
        break;
      case ParamKind::Dtype:
        v.i = next_int(s);
        if (!is_valid_dtype(v.i)) fail("Unknown dtype code " + std::to_string(v.i) + ".");
        break;
      case ParamKind::Enum:
        v.i = next_int(s);
        if (v.i < 0 || v.i >= static_cast<int32_t>(s.choices.size())) {
          fail("Parameter '" + s.name + "' has an invalid code " + std::to_string(v.i) + ".");
        }
        break;
      case ParamKind::Int:
        v.i = next_int(s);
        break;
    }
  }
  if (ni != n_ints || nr != n_reals) {
    fail("Got " + std::to_string(n_ints - ni) + " integer and " + std::to_string(n_reals - nr) +
         " real values more than its parameters take.");
  }
}

void Params::fail(const std::string& message) const { throw std::invalid_argument("[" + op_ + "] " + message); }

const Params::Value& Params::get(const char* name, ParamKind kind, bool required) {
  for (size_t k = 0; k < specs_.size(); ++k) {
    const ParamSpec& s = specs_[k];
    if (s.name != name) continue;
    if (s.kind != kind) {
      fail(std::string("Parameter '") + name + "' is " + kind_name(s.kind) + ", read as " + kind_name(kind) + ".");
    }
    read_ |= uint64_t(1) << k;
    if (required && !values_[k].present) fail(std::string("Parameter '") + name + "' was not given.");
    return values_[k];
  }
  fail(std::string("Has no parameter '") + name + "'.");
}

bool Params::has(const char* name) {
  for (size_t k = 0; k < specs_.size(); ++k) {
    if (specs_[k].name == name) {
      read_ |= uint64_t(1) << k;
      return values_[k].present;
    }
  }
  fail(std::string("Has no parameter '") + name + "'.");
}

int32_t Params::int_(const char* name) { return get(name, ParamKind::Int, true).i; }
bool Params::flag(const char* name) { return get(name, ParamKind::Bool, true).i != 0; }
Dtype Params::dtype(const char* name) { return static_cast<Dtype>(get(name, ParamKind::Dtype, true).i); }
double Params::real(const char* name) { return get(name, ParamKind::Real, true).r; }
std::vector<int32_t> Params::ints(const char* name) { return get(name, ParamKind::Ints, true).list; }
std::vector<int> Params::axes(const char* name) {
  auto& l = get(name, ParamKind::Ints, true).list;
  return std::vector<int>(l.begin(), l.end());
}
int Params::choice(const char* name) { return get(name, ParamKind::Enum, true).i; }

std::optional<int> Params::opt_int(const char* name) {
  auto& v = get(name, ParamKind::Int, false);
  return v.present ? std::optional<int>(v.i) : std::nullopt;
}
std::optional<Dtype> Params::opt_dtype(const char* name) {
  auto& v = get(name, ParamKind::Dtype, false);
  return v.present ? std::optional<Dtype>(static_cast<Dtype>(v.i)) : std::nullopt;
}
std::optional<double> Params::opt_real(const char* name) {
  auto& v = get(name, ParamKind::Real, false);
  return v.present ? std::optional<double>(v.r) : std::nullopt;
}
std::optional<std::vector<int>> Params::opt_axes(const char* name) {
  auto& v = get(name, ParamKind::Ints, false);
  if (!v.present) return std::nullopt;
  return std::vector<int>(v.list.begin(), v.list.end());
}
std::optional<Shape> Params::opt_shape(const char* name) {
  auto& v = get(name, ParamKind::Ints, false);
  return v.present ? std::optional<Shape>(v.list) : std::nullopt;
}

void Params::done() const {
  for (size_t k = 0; k < specs_.size(); ++k) {
    if (!(read_ & (uint64_t(1) << k))) fail("Its adapter never reads parameter '" + specs_[k].name + "'.");
  }
}

}  // namespace mlx::capi
