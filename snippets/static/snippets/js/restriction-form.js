// Restriction form: the program is required exactly when the scope is one program.
// The server checks the same rule; this tells staff before they submit.
(function () {
  function setUp() {
    const scope = document.querySelector('select[name="scope"]');
    const program = document.querySelector('input[name="program"]');
    if (!scope || !program) return;
    const field = program.closest('[data-field-wrapper]') || program.closest('.w-field__wrapper');
    const form = scope.form;
    let message = null;

    function showError(text) {
      if (!message) {
        message = document.createElement('p');
        message.className = 'error-message';
        message.setAttribute('role', 'alert');
        message.id = 'restriction-program-error';
        (field || program.parentElement).appendChild(message);
      }
      message.textContent = text;
    }
    function clearError() {
      if (message) message.textContent = '';
    }
    function sync() {
      const needsProgram = scope.value === 'program';
      if (field) field.hidden = !needsProgram;
      if (!needsProgram) clearError();
    }
    scope.addEventListener('change', sync);
    form.addEventListener('submit', function (event) {
      if (scope.value === 'program' && !program.value) {
        event.preventDefault();
        event.stopImmediatePropagation();
        showError('Choose the program this restriction is for.');
      } else if (scope.value === 'org' && program.value) {
        program.value = '';
      }
    }, true);
    sync();
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', setUp);
  } else {
    setUp();
  }
})();
