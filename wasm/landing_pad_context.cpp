// The threads build's own definitions of the wasm exception-handling runtime entry points
// (the part of libunwind that wasm exception handling uses), so that C++ exceptions can be
// caught on any thread, not only on the main one.
//
// Why: the code clang 14 generates for a catch site stores the landing pad's index and LSDA
// in the global `__wasm_lpad_context` and reads back the selector the personality function
// leaves there, always at the variable's static address. Emscripten 3.1.6's libunwind
// declares that variable thread_local, so its `_Unwind_CallPersonality` reads the current
// thread's copy: the two only agree while a thread's TLS block is the module's static block,
// which only the main thread has. On a worker every catch clause would silently fail to match.
// Defining these symbols here keeps libunwind's object out of the link (wasm-ld pulls an
// archive member only for a symbol nothing else defines) and makes both sides use one plain
// global. That global is shared by all threads, which is safe because only one thread at a
// time runs core code that can throw: the pool's workers never throw, and the async-eval
// thread runs while the host keeps the main thread out of the core (wasm-backend.ts).
//
// The ABI (facts of the Itanium C++ ABI as wasm implements it): the personality routine is
// __gxx_personality_wasm0, run in the cleanup phase only (wasm has no two-phase unwinding);
// its context argument is the landing-pad context; _Unwind_GetIP must return lpad_index + 2
// (the personality subtracts one and uses the rest as a 1-based call-site index);
// _Unwind_SetGR with index 1 sets the selector.
#if defined(__EMSCRIPTEN_PTHREADS__) && defined(__wasm_exception_handling__)

#include <cstdint>

extern "C" {

struct _Unwind_Exception;
struct _Unwind_Context;
typedef int _Unwind_Reason_Code;  // an enum in unwind.h; an int at the ABI
typedef int _Unwind_Action;
typedef void (*_Unwind_Exception_Cleanup_Fn)(_Unwind_Reason_Code, _Unwind_Exception*);

// The header every C++ exception object starts with (unwind.h's _Unwind_Exception).
struct UnwindExceptionHeader {
  uint64_t exception_class;
  _Unwind_Exception_Cleanup_Fn exception_cleanup;
  uintptr_t private_1;
  uintptr_t private_2;
};

struct LandingPadContext {
  uintptr_t lpad_index;  // written by the catch site
  uintptr_t lsda;        // written by the catch site
  uintptr_t selector;    // written by the personality routine, read by the catch site
};

constexpr _Unwind_Action kCleanupPhase = 2;      // _UA_CLEANUP_PHASE
constexpr _Unwind_Reason_Code kForeignCaught = 1;  // _URC_FOREIGN_EXCEPTION_CAUGHT

// Plain (not thread_local): the same address the compiler-generated code uses.
LandingPadContext __wasm_lpad_context;

_Unwind_Reason_Code __gxx_personality_wasm0(int version, _Unwind_Action actions, uint64_t exception_class,
                                            _Unwind_Exception* exception, _Unwind_Context* context);

_Unwind_Reason_Code _Unwind_CallPersonality(void* exception_ptr) {
  auto* header = static_cast<UnwindExceptionHeader*>(exception_ptr);
  __wasm_lpad_context.selector = 0;
  return __gxx_personality_wasm0(1, kCleanupPhase, header->exception_class,
                                 static_cast<_Unwind_Exception*>(exception_ptr),
                                 reinterpret_cast<_Unwind_Context*>(&__wasm_lpad_context));
}

_Unwind_Reason_Code _Unwind_RaiseException(_Unwind_Exception* exception) {
  __builtin_wasm_throw(0, exception);  // tag 0: the C++ exception tag
}

void _Unwind_DeleteException(_Unwind_Exception* exception) {
  auto* header = reinterpret_cast<UnwindExceptionHeader*>(exception);
  if (header->exception_cleanup != nullptr) header->exception_cleanup(kForeignCaught, exception);
}

void _Unwind_SetGR(_Unwind_Context* context, int index, uintptr_t value) {
  if (index == 1) reinterpret_cast<LandingPadContext*>(context)->selector = value;
}

uintptr_t _Unwind_GetIP(_Unwind_Context* context) {
  return reinterpret_cast<LandingPadContext*>(context)->lpad_index + 2;
}

void _Unwind_SetIP(_Unwind_Context*, uintptr_t) {}

uintptr_t _Unwind_GetLanguageSpecificData(_Unwind_Context* context) {
  return reinterpret_cast<LandingPadContext*>(context)->lsda;
}

uintptr_t _Unwind_GetRegionStart(_Unwind_Context*) { return 0; }

}  // extern "C"

#endif
